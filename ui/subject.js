// A subject's page: its versions, the chosen version's schema, id, type,
// references, referrers, metadata and rule set, and the effective
// compatibility level and mode with the scope each comes from. Also the
// schema-by-id lookup the search box leads to.

import {del, get, segment} from './http.js';
import {errorBox, h, setting, show, subjectHref} from './dom.js';

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

async function referrers(subject, version) {
  const ids = await get(`/subjects/${segment(subject)}/versions/${version}/referencedby`);
  if (!ids.length) return h('p', {class: 'muted', id: 'referenced-by'}, 'None');
  return h('ul', {id: 'referenced-by'}, ids.map((id) => h('li', {}, h('a', {href: `#/schema/${id}`}, `schema id ${id}`))));
}

function json(value) {
  return value ? h('pre', {class: 'schema'}, JSON.stringify(value, null, 2)) : h('p', {class: 'muted'}, 'None');
}

/** Soft delete while a version is live, then permanent; each asks first
 * and says what goes. The registry refuses while a version is referenced,
 * and that refusal is shown. */
function deletion(subject, live, versions, referrerCount, allowed) {
  if (!allowed.delete) return null;
  const outcome = h('div', {id: 'delete-outcome'});
  const permanent = live.length === 0;
  const summary = permanent
    ? `Permanently delete ${subject}: ${versions.length} soft-deleted version(s) and their schemas go for good.`
    : `Soft-delete ${subject}: ${live.length} live version(s) stop being served; they can still be read with deleted=true and deleted for good afterwards.`;
  const button = h('button', {type: 'button', id: 'delete-subject', onclick: async () => {
    if (!confirm(summary)) return;
    try {
      await del(`/subjects/${segment(subject)}${permanent ? '?permanent=true' : ''}`);
      location.hash = permanent ? '#/subjects' : `${subjectHref(subject)}?deleted=${Date.now()}`;
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  }}, permanent ? 'Delete permanently' : 'Delete subject');
  return h('section', {'data-needs': 'delete'},
    h('h2', {}, 'Delete'),
    h('p', {class: 'muted', id: 'delete-summary'}, summary,
      referrerCount ? ` The version shown is referenced by ${referrerCount} schema(s): the registry refuses while it is.` : ''),
    button, outcome);
}

export async function subjectPage([subject], query) {
  const base = `/subjects/${segment(subject)}`;
  const [versions, settings] = await Promise.all([
    get(`${base}/versions?deleted=true`),
    get(`/ui/api/subjects/${segment(subject)}/settings`),
  ]);
  const live = await get(`${base}/versions`).catch(() => []);
  const number = Number(query.get('version')) || live.at(-1) || versions.at(-1);
  const version = await get(`${base}/versions/${number}?deleted=true`);
  const type = version.schemaType ?? 'AVRO';
  const previous = versions.filter((v) => v < number).at(-1);
  const referencedBy = await referrers(subject, number);
  const referrerCount = referencedBy.querySelectorAll('li').length;
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
      href: `${subjectHref(subject)}?version=${v}`,
      class: v === number ? 'tag compatible' : 'tag',
    }, live.includes(v) ? `v${v}` : `v${v} (deleted)`))),
    h('div', {class: 'row'},
      previous ? h('a', {href: `#/compare/${segment(subject)}/${previous}/${number}`, id: 'compare-link'}, `Compare v${previous} → v${number}`) : null,
      settings.allowed.write ? h('a', {href: `#/register?subject=${segment(subject)}`, 'data-needs': 'write'}, 'Test a new version') : null,
      h('a', {href: `#/settings?subject=${segment(subject)}`, 'data-needs': 'config'}, 'Settings')),
    h('h2', {}, 'Schema'),
    schemaBlock(version.schema, type, `${subject}-v${number}.${extension(type)}`, 'schema'),
    h('h2', {}, 'References'), references(version.references),
    h('h2', {}, 'Referenced by'), referencedBy,
    h('h2', {}, 'Metadata'), json(version.metadata),
    h('h2', {}, 'Rule set'), json(version.ruleSet),
    deletion(subject, live, versions, referrerCount, settings.allowed));
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
