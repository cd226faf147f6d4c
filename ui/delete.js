// Deletes from the subject page: the version shown, or the whole subject;
// soft while live, then permanent. Each says first what goes: which
// versions stop being served, which schema ids stop being reachable, and
// that the registry refuses while another subject references them (that
// refusal is shown as the registry words it).
//
// The consequences are worked out from reads (versions, referencedby, an
// id's holders). Once the delete routes answer `?dryRun=true`, asking the
// registry itself replaces `idConsequence`, `idsConsequence` and the
// referrer counts.

import {del, get, segment} from './http.js';
import {errorBox, h, subjectHref} from './dom.js';

/** Shows `hash`, re-rendering when it is the one already shown. */
function revisit(hash) {
  if (location.hash === hash) location.reload();
  else location.hash = hash;
}

function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/** What a permanent delete of `version` does to its schema id: gone,
 * unless another subject-version (that the caller may read) holds it. */
async function idConsequence(subject, version) {
  const holders = await get(`/schemas/ids/${version.id}/versions?deleted=true&subject=${segment(subject)}`);
  const others = holders.filter((held) => held.subject !== version.subject || held.version !== version.version);
  if (!others.length) return `schema id ${version.id} stops being reachable: no other subject-version holds it.`;
  return `schema id ${version.id} stays reachable: ${others.map((o) => `${o.subject} v${o.version}`).join(', ')} also hold${others.length === 1 ? 's' : ''} it.`;
}

/** Above this many versions a permanent subject delete's summary does not
 * look up each version's id (two reads a version). */
const MAX_LOOKED_UP = 100;

/** What a permanent delete of every one of `versions` of `subject` does to
 * their schema ids: those no other subject holds stop being reachable. */
async function idsConsequence(subject, versions) {
  if (versions.length > MAX_LOOKED_UP) return 'a schema id no other subject holds stops being reachable.';
  const base = `/subjects/${segment(subject)}/versions`;
  const views = await Promise.all(versions.map((v) => get(`${base}/${v}?deleted=true`)));
  const ids = [...new Set(views.map((view) => view.id))];
  const holders = await Promise.all(ids.map((id) => get(`/schemas/ids/${id}/versions?deleted=true&subject=${segment(subject)}`)));
  // The subject as the registry names it (qualified), as holders are named.
  const gone = ids.filter((_, n) => holders[n].every((held) => held.subject === views[0].subject));
  if (!gone.length) return 'every schema id stays reachable: other subjects hold them.';
  return `schema ${gone.length === 1 ? 'id' : 'ids'} ${gone.join(', ')} ${gone.length === 1 ? 'stops' : 'stop'} being reachable: no other subject holds ${gone.length === 1 ? 'it' : 'them'}.`;
}

function refusal(referrers, what) {
  if (!referrers.length) return null;
  return ` ${what} is referenced by ${plural(referrers.length, 'schema')} (id ${referrers.join(', ')}): the registry refuses while ${referrers.length === 1 ? 'it is' : 'they are'}.`;
}

/** A delete button with its summary: asks first, shows a refusal. */
function action({id, label, summary, path, after}) {
  const outcome = h('div', {id: `${id}-outcome`});
  const button = h('button', {type: 'button', id, onclick: async () => {
    if (!confirm(summary.textContent)) return;
    try {
      await del(path);
      after();
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  }}, label);
  return h('div', {}, h('p', {class: 'muted', id: `${id}-summary`}, summary), button, outcome);
}

/** The version shown: `version` as read with deleted=true, `versions` and
 * `live` the subject's version numbers (all, live), `referrers` the ids
 * referencing the version. */
async function versionDeletion(subject, version, versions, live, referrers) {
  const n = version.version;
  const base = `/subjects/${segment(subject)}/versions/${n}`;
  const here = `${subjectHref(subject)}?version=${n}`;
  if (live.includes(n)) {
    const rest = live.filter((v) => v !== n);
    let latest = `v${live.at(-1)} stays the latest`;
    if (!rest.length) latest = `${subject} has no live version left`;
    else if (n === live.at(-1)) latest = `the latest version becomes v${rest.at(-1)}`;
    return action({
      id: 'delete-version',
      label: `Delete version ${n}`,
      summary: h('span', {},
        `Soft-delete ${subject} v${n}: it stops being served and ${latest}; schema id ${version.id} stays readable by id, `,
        'and the version with deleted=true until it is deleted permanently.',
        refusal(referrers, `v${n}`)),
      path: base,
      after: () => revisit(here),
    });
  }
  const last = versions.length === 1;
  return action({
    id: 'delete-version',
    label: `Delete version ${n} permanently`,
    summary: h('span', {},
      `Permanently delete ${subject} v${n}: ${await idConsequence(subject, version)}`,
      last ? ` It is the subject's last version: ${subject} goes, with its own compatibility and mode.` : '',
      refusal(referrers, `v${n}`)),
    path: `${base}?permanent=true`,
    after: () => revisit(last ? '#/subjects' : subjectHref(subject)),
  });
}

/** The whole subject; `versions` every version number, soft-deleted too. */
async function subjectDeletion(subject, versions, live, referrers) {
  const permanent = live.length === 0;
  return action({
    id: 'delete-subject',
    label: permanent ? 'Delete subject permanently' : 'Delete subject',
    summary: h('span', {},
      permanent
        ? `Permanently delete ${subject}: ${plural(versions.length, 'soft-deleted version')} and its own compatibility and mode go for good; ${await idsConsequence(subject, versions)}`
        : `Soft-delete ${subject}: ${plural(live.length, 'live version')} ${live.length === 1 ? 'stops' : 'stop'} being served, still readable with deleted=true until deleted for good.`,
      refusal(referrers, 'The version shown')),
    path: `/subjects/${segment(subject)}${permanent ? '?permanent=true' : ''}`,
    after: () => revisit(permanent ? '#/subjects' : subjectHref(subject)),
  });
}

/** The subject page's delete section, or nothing for a caller that may
 * not delete. */
export async function deletion({subject, version, versions, live, referrers, allowed}) {
  if (!allowed.delete) return null;
  return h('section', {'data-needs': 'delete', id: 'delete'},
    h('h2', {}, 'Delete'),
    await versionDeletion(subject, version, versions, live, referrers),
    await subjectDeletion(subject, versions, live, referrers));
}
