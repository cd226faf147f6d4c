// Compatibility level and mode, globally, for a context (`:.ctx:`) or a
// subject: what applies and where it comes from, the scope's own setting,
// and editing or clearing it. Mode changes that Confluent refuses without
// `force` (to IMPORT with schemas present) ask for confirmation.

import {ApiError, del, get, put, segment} from './http.js';
import {errorBox, h, setting, show} from './dom.js';

const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'];
const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];

/** The scope's own value, or `null` when it inherits one. */
async function own(path, field) {
  try {
    return (await get(path))[field];
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function editor({id, label, values, current, effective, save, clear}) {
  const select = h('select', {name: id}, values.map((v) => h('option', {value: v, selected: v === (current ?? effective.value)}, v)));
  const force = id === 'mode' ? h('label', {}, h('input', {type: 'checkbox', name: 'force'}), ' force') : null;
  const outcome = h('div', {id: `${id}-outcome`});
  const act = (action) => async () => {
    try {
      await action();
      location.reload();
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  };
  return h('section', {id},
    h('h2', {}, label),
    h('p', {}, 'Applies: ', h('span', {id: `${id}-effective`}, setting(effective)), ' · own setting: ',
      h('span', {id: `${id}-own`}, current ?? 'none (inherited)')),
    h('div', {class: 'row', 'data-needs': 'config'},
      select, force,
      h('button', {type: 'button', id: `${id}-save`, onclick: act(() => save(select.value, force?.querySelector('input').checked))}, 'Save'),
      clear && current ? h('button', {type: 'button', id: `${id}-clear`, onclick: act(clear)}, 'Clear override') : null),
    outcome);
}

export async function settingsPage(_, query) {
  const scope = query.get('subject') ?? '';
  const path = (kind) => (scope ? `/${kind}/${segment(scope)}` : `/${kind}`);
  const effective = scope
    ? await get(`/ui/api/subjects/${segment(scope)}/settings`)
    : await get('/ui/api/session').then(async (s) => ({
      compatibility: {value: (await get('/config')).compatibilityLevel, source: 'global'},
      mode: {value: s.mode, source: 'global'},
    }));
  const [level, mode] = await Promise.all([
    own(scope ? `${path('config')}?defaultToGlobal=false` : '/config', 'compatibilityLevel'),
    own(scope ? `${path('mode')}?defaultToGlobal=false` : '/mode', 'mode'),
  ]);
  const picker = h('form', {class: 'row', id: 'scope'},
    h('input', {name: 'subject', value: scope, placeholder: 'subject, :.context: or empty for global'}),
    h('button', {type: 'submit'}, 'Show'));
  picker.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/settings?${new URLSearchParams({subject: new FormData(picker).get('subject')})}`;
  });
  show(
    h('h1', {}, 'Settings: ', scope || 'global'),
    picker,
    editor({
      id: 'compatibility', label: 'Compatibility', values: LEVELS, current: level, effective: effective.compatibility,
      save: (value) => put(path('config'), {compatibility: value}),
      clear: scope ? () => del(path('config')) : null,
    }),
    editor({
      id: 'mode', label: 'Mode', values: MODES, current: mode, effective: effective.mode,
      save: (value, force) => {
        if (force && !confirm(`Force the mode ${value} on ${scope || 'the whole registry'}?`)) return Promise.resolve();
        return put(`${path('mode')}${force ? '?force=true' : ''}`, {mode: value});
      },
      clear: scope ? () => del(path('mode')) : null,
    }));
}
