// Two versions of a subject side by side, and the semantic changes the
// compatibility engine finds between them, each marked breaking or
// compatible under the subject's level. Only reads: it works in read-only
// mode too.

import {get, segment} from './http.js';
import {h, setting, show, subjectHref} from './dom.js';
import {pretty} from './subject.js';

function picker(name, versions, current) {
  return h('select', {name}, versions.map((v) => h('option', {value: v, selected: v === current}, `v${v}`)));
}

function where(change) {
  if (change.new_path) return change.new_path;
  if (change.old_path) return `${change.old_path} (old)`;
  return '-';
}

function changeRow(change) {
  return h('tr', {'data-rule': change.rule, 'data-breaking': String(change.breaking)},
    h('td', {}, h('span', {class: change.breaking ? 'tag breaking' : 'tag compatible'}, change.breaking ? 'breaking' : 'compatible')),
    h('td', {}, h('code', {}, change.rule)),
    h('td', {}, change.direction ?? '-'),
    h('td', {}, h('code', {}, where(change))),
    h('td', {}, change.message));
}

export async function comparePage([subject, old, now]) {
  const [versions, result] = await Promise.all([
    get(`/subjects/${segment(subject)}/versions?deleted=true`),
    get(`/ui/api/subjects/${segment(subject)}/compare?old=${segment(old)}&new=${segment(now)}`),
  ]);
  const form = h('form', {class: 'row', id: 'pick'},
    'Compare ', picker('old', versions, result.old.version), ' with ', picker('new', versions, result.new.version),
    h('button', {type: 'submit'}, 'Compare'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = `#/compare/${segment(subject)}/${data.get('old')}/${data.get('new')}`;
  });
  const breaking = result.changes.filter((c) => c.breaking).length;
  const verdict = result.compatible
    ? h('div', {class: 'ok', id: 'verdict'}, `Compatible under ${result.compatibility.value}: ${result.changes.length} change(s), none breaking`)
    : h('div', {class: 'error', id: 'verdict'}, `Breaking under ${result.compatibility.value}: ${breaking} of ${result.changes.length} change(s) break it`);
  show(
    h('h1', {}, 'Compare ', h('a', {href: subjectHref(subject)}, subject)),
    form,
    h('p', {}, 'Compatibility: ', setting(result.compatibility)),
    result.problem ? h('div', {class: 'error'}, result.problem) : verdict,
    h('h2', {}, 'Changes'),
    result.changes.length === 0
      ? h('p', {class: 'muted', id: 'no-changes'}, 'No change the compatibility rules see.')
      : h('table', {id: 'changes'},
        h('thead', {}, h('tr', {}, ['', 'Rule', 'Direction', 'Path', 'What'].map((t) => h('th', {}, t)))),
        h('tbody', {}, result.changes.map(changeRow))),
    h('div', {class: 'sides'},
      h('div', {}, h('h2', {}, `v${result.old.version} (id ${result.old.id})`),
        h('pre', {class: 'schema', id: 'old-schema'}, pretty(result.old.schema, result.old.schemaType))),
      h('div', {}, h('h2', {}, `v${result.new.version} (id ${result.new.id})`),
        h('pre', {class: 'schema', id: 'new-schema'}, pretty(result.new.schema, result.new.schemaType)))));
}
