// A subject's page: its versions, the chosen version's schema, id, type,
// references, referrers, metadata and rule set, and the effective
// compatibility level and mode with the scope each comes from, and its
// deletes (delete.js). Also the schema-by-id lookup the search box leads to.

import {get, segment} from './http.js';
import {errorBox, h, setting, show, subjectHref} from './dom.js';
import {deletion} from './delete.js';

/** JSON-based schemas indented; Protobuf as written. */
export function pretty(text, schemaType) {
  if (schemaType === 'PROTOBUF') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function copyButton(text) {
  return h('button', {type: 'button', onclick: (event) => {
    navigator.clipboard.writeText(text).then(() => { event.target.textContent = 'Copied'; });
  }}, 'Copy');
}

function downloadLink(text, name) {
  const url = URL.createObjectURL(new Blob([text], {type: 'text/plain'}));
  return h('a', {href: url, download: name}, 'Download');
}

export function schemaBlock(text, schemaType, fileName, id) {
  const shown = pretty(text, schemaType);
  return h('div', {},
    h('div', {class: 'row'}, copyButton(shown), downloadLink(shown, fileName)),
    h('pre', {class: 'schema', id}, shown));
}

function extension(schemaType) {
  return {PROTOBUF: 'proto', JSON: 'json'}[schemaType] ?? 'avsc';
}

function references(list) {
  if (!list?.length) return h('p', {class: 'muted'}, 'None');
  return h('ul', {id: 'references'}, list.map((r) => h('li', {},
    `${r.name} → `, h('a', {href: `${subjectHref(r.subject)}?version=${r.version}`}, `${r.subject} v${r.version}`))));
}

function referrerList(ids) {
  if (!ids.length) return h('p', {class: 'muted', id: 'referenced-by'}, 'None');
  return h('ul', {id: 'referenced-by'}, ids.map((id) => h('li', {}, h('a', {href: `#/schema/${id}`}, `schema id ${id}`))));
}

function json(value) {
  return value ? h('pre', {class: 'schema'}, JSON.stringify(value, null, 2)) : h('p', {class: 'muted'}, 'None');
}

/** `#/subject/S?version=N&form=normalized`: the page's state. */
function pageHref(subject, version, form) {
  const query = new URLSearchParams({version});
  if (form === 'normalized') query.set('form', form);
  return `${subjectHref(subject)}?${query}`;
}

/** The schema as stored, or as `normalize=true` would store it (the
 * registry's normal form, from `/ui/api/…/normalized`: Confluent has no
 * read that normalises), with links switching between the two. */
async function schemaSection(subject, version, type, form) {
  const n = version.version;
  const link = (which, label) => h('a', {
    href: pageHref(subject, n, which),
    id: `form-${which}`,
    class: which === form ? 'tag compatible' : 'tag',
    'aria-current': which === form ? 'true' : null,
  }, label);
  const toggle = h('div', {class: 'row', id: 'schema-form'}, link('stored', 'As stored'), link('normalized', 'Normalized'));
  if (form !== 'normalized') {
    return [toggle, schemaBlock(version.schema, type, `${subject}-v${n}.${extension(type)}`, 'schema')];
  }
  const normal = await get(`/ui/api/subjects/${segment(subject)}/versions/${n}/normalized`);
  if (normal.problem) return [toggle, h('div', {class: 'error', id: 'normalize-problem'}, `Does not normalise: ${normal.problem}`)];
  return [toggle, schemaBlock(normal.schema, type, `${subject}-v${n}-normalized.${extension(type)}`, 'schema')];
}

export async function subjectPage([subject], query) {
  const base = `/subjects/${segment(subject)}`;
  const [versions, settings] = await Promise.all([
    get(`${base}/versions?deleted=true`),
    get(`/ui/api/subjects/${segment(subject)}/settings`),
  ]);
  // A subject whose versions are all soft-deleted has no live list (404).
  const live = await get(`${base}/versions`).catch(() => []);
  const number = Number(query.get('version')) || live.at(-1) || versions.at(-1);
  const form = query.get('form') === 'normalized' ? 'normalized' : 'stored';
  const [version, referrers] = await Promise.all([
    get(`${base}/versions/${number}?deleted=true`),
    get(`${base}/versions/${number}/referencedby`),
  ]);
  const type = version.schemaType ?? 'AVRO';
  const previous = versions.filter((v) => v < number).at(-1);
  show(
    h('h1', {}, subject),
    h('dl', {class: 'facts', id: 'facts'},
      h('dt', {}, 'Version'), h('dd', {}, version.version, live.includes(number) ? null : h('span', {class: 'tag'}, ' soft-deleted')),
      h('dt', {}, 'Schema id'), h('dd', {id: 'schema-id'}, version.id),
      h('dt', {}, 'Type'), h('dd', {}, type),
      h('dt', {}, 'Compatibility'), h('dd', {id: 'compatibility'}, setting(settings.compatibility)),
      h('dt', {}, 'Mode'), h('dd', {id: 'mode'}, setting(settings.mode))),
    h('h2', {}, 'Versions'),
    h('div', {class: 'row', id: 'versions'}, versions.map((v) => h('a', {
      href: pageHref(subject, v, form),
      class: v === number ? 'tag compatible' : 'tag',
    }, live.includes(v) ? `v${v}` : `v${v} (deleted)`))),
    h('div', {class: 'row'},
      previous ? h('a', {href: `#/compare/${segment(subject)}/${previous}/${number}`, id: 'compare-link'}, `Compare v${previous} → v${number}`) : null,
      settings.allowed.write ? h('a', {href: `#/register?subject=${segment(subject)}`, 'data-needs': 'write'}, 'Test a new version') : null,
      h('a', {href: `#/settings?subject=${segment(subject)}`, 'data-needs': 'config'}, 'Settings')),
    h('h2', {}, 'Schema'),
    await schemaSection(subject, version, type, form),
    h('h2', {}, 'References'), references(version.references),
    h('h2', {}, 'Referenced by'), referrerList(referrers),
    h('h2', {}, 'Metadata'), json(version.metadata),
    h('h2', {}, 'Rule set'), json(version.ruleSet),
    await deletion({subject, version, versions, live, referrers, allowed: settings.allowed}));
}

/** `#/schema/ID`: the schema and every subject-version holding it. */
export async function schemaById([id]) {
  let schema;
  try {
    schema = await get(`/schemas/ids/${id}`);
  } catch (error) {
    show(h('h1', {}, `Schema id ${id}`), errorBox(error));
    return;
  }
  const holders = await get(`/schemas/ids/${id}/versions`);
  const type = schema.schemaType ?? 'AVRO';
  show(
    h('h1', {}, `Schema id ${id}`),
    h('h2', {}, 'Used by'),
    h('ul', {id: 'holders'}, holders.map(({subject, version}) =>
      h('li', {}, h('a', {href: `${subjectHref(subject)}?version=${version}`}, `${subject} v${version}`)))),
    h('h2', {}, 'Schema'),
    schemaBlock(schema.schema, type, `schema-${id}.${extension(type)}`, 'schema'));
}
