// Compatibility level and mode, globally, for a context (`:.ctx:`) or a
// subject: what applies and where it comes from, the scope's own setting,
// and editing or clearing it. Mode changes that Confluent refuses without
// `force` (to IMPORT with schemas present) ask for confirmation.

import {ApiError, del, get, put, segment} from './http.js';
import {errorBox, h, setting, show} from './dom.js';

const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'];
const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];
/** Confluent's "operation not permitted": for a mode, IMPORT over live
 * subjects, which `force` skips. */
const NOT_PERMITTED = 42205;
/** What a save answers when the user declined to confirm it. */
const DECLINED = Symbol('declined');

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
      if (await action() === DECLINED) return;
      location.reload();
    } catch (error) {
      outcome.replaceChildren(errorBox(error),
        id === 'mode' && error.code === NOT_PERMITTED ? h('p', {class: 'muted', id: `${id}-force-hint`}, 'Tick force to set it anyway.') : null);
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

/** The scope a subject's or context's settings fall back to, as a link:
 * a subject in `:.ctx:` to that context, anything else to global. */
function parentScope(scope) {
  if (!scope) return null;
  const context = /^:\.([^:]*):./.exec(scope);
  const [hash, label] = context ? [`#/settings?subject=:.${context[1]}:`, `context .${context[1]}`] : ['#/settings', 'global'];
  return h('p', {id: 'parent-scope'}, 'Without its own setting, this inherits from ', h('a', {href: hash}, label), '.');
}

export async function settingsPage(_, query) {
  const scope = query.get('subject') ?? '';
  const context = /^:\.([^:]*):$/.exec(scope);
  const title = !scope ? 'global' : context ? `context .${context[1]}` : scope;
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
    h('h1', {}, 'Settings: ', title),
    picker,
    parentScope(scope),
    editor({
      id: 'compatibility', label: 'Compatibility', values: LEVELS, current: level, effective: effective.compatibility,
      save: (value) => put(path('config'), {compatibility: value}),
      clear: scope ? () => del(path('config')) : null,
    }),
    editor({
      id: 'mode', label: 'Mode', values: MODES, current: mode, effective: effective.mode,
      save: async (value, force) => {
        if (force && !confirm(`Force the mode ${value} on ${title}? The registry then skips its check that no live subject is in the way.`)) return DECLINED;
        return put(`${path('mode')}${force ? '?force=true' : ''}`, {mode: value});
      },
      clear: scope ? () => del(path('mode')) : null,
    }));
}
