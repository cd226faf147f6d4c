// The subjects list: one request per page to `/ui/api/subjects`, which
// filters, sorts and pages on the server, so it stays quick at any size.

import {get} from './http.js';
import {h, setting, show, subjectHref} from './dom.js';

const PAGE = 50;
const FILTERS = ['name', 'type', 'context', 'level', 'mode', 'deleted', 'sort', 'order'];
const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'];

function choice(name, label, options, current) {
  return h('label', {}, label,
    h('select', {name},
      options.map(([value, text]) => h('option', {value, selected: value === current}, text))));
}

function filterForm(query) {
  const form = h('form', {class: 'filters', id: 'filters'},
    h('label', {}, 'Name', h('input', {name: 'name', value: query.get('name') ?? '', placeholder: 'contains'})),
    choice('type', 'Type', [['', 'any'], ['AVRO', 'Avro'], ['PROTOBUF', 'Protobuf'], ['JSON', 'JSON Schema']], query.get('type') ?? ''),
    h('label', {}, 'Context', h('input', {name: 'context', value: query.get('context') ?? '', placeholder: '. or .ctx', size: 8})),
    choice('level', 'Compatibility', [['', 'any'], ...LEVELS.map((l) => [l, l])], query.get('level') ?? ''),
    choice('mode', 'Mode', [['', 'any'], ...['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'].map((m) => [m, m])], query.get('mode') ?? ''),
    choice('deleted', 'Soft-deleted', [['hidden', 'hidden'], ['included', 'included'], ['only', 'only']], query.get('deleted') ?? 'hidden'),
    choice('sort', 'Sort by', [['name', 'name'], ['versions', 'versions'], ['latestId', 'latest id']], query.get('sort') ?? 'name'),
    choice('order', 'Order', [['asc', 'ascending'], ['desc', 'descending']], query.get('order') ?? 'asc'),
    h('button', {type: 'submit'}, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value) next.set(key, value);
    location.hash = `#/subjects?${next}`;
  });
  return form;
}

function row(subject) {
  return h('tr', {'data-subject': subject.subject},
    h('td', {}, h('a', {href: subjectHref(subject.subject)}, subject.subject)),
    h('td', {}, subject.schemaType),
    h('td', {}, subject.context),
    h('td', {}, subject.latestVersion, subject.deleted ? h('span', {class: 'tag'}, ' deleted') : null),
    h('td', {}, subject.latestId),
    h('td', {}, setting(subject.compatibility)),
    h('td', {}, setting(subject.mode)));
}

function pageLink(query, offset, text) {
  const next = new URLSearchParams(query);
  next.set('offset', offset);
  return h('a', {href: `#/subjects?${next}`}, text);
}

export async function listSubjects(query) {
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const request = new URLSearchParams({offset, limit: PAGE});
  for (const name of FILTERS) if (query.get(name)) request.set(name, query.get(name));
  const page = await get(`/ui/api/subjects?${request}`);
  const last = Math.min(offset + page.subjects.length, page.total);
  show(
    h('h1', {}, 'Subjects'),
    filterForm(query),
    h('div', {class: 'pager', id: 'pager'},
      h('span', {id: 'count'}, page.total === 0 ? 'No subject matches' : `${offset + 1}–${last} of ${page.total}`),
      offset > 0 ? pageLink(query, Math.max(0, offset - PAGE), '← previous') : null,
      last < page.total ? pageLink(query, offset + PAGE, 'next →') : null),
    h('table', {id: 'subjects'},
      h('thead', {}, h('tr', {}, ['Subject', 'Type', 'Context', 'Latest version', 'Latest id', 'Compatibility', 'Mode'].map((t) => h('th', {}, t)))),
      h('tbody', {}, page.subjects.map(row))));
}
