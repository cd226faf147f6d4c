// Deletes from the subject page: the version shown, or the whole subject;
// soft while live, then permanent. Each says first what goes: which
// versions stop being served, which schema ids stop being reachable, and
// that the registry refuses while another subject references them (that
// refusal is shown as the registry words it).
//
// What a permanent delete does to schema ids is the registry's own answer
// to the same delete with `?dryRun=true`; the referrers shown are those of
// the version on screen (its referencedby).

import {del, segment} from './http.js';
import {errorBox, h, subjectHref} from './dom.js';

/** Shows `hash`, re-rendering when it is the one already shown. */
function revisit(hash) {
  if (location.hash === hash) location.reload();
  else location.hash = hash;
}

function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/** What the registry says `path`'s delete would do: the same call with
 * `dryRun=true`, which deletes nothing and refuses as the real one would
 * (then `refused` is the registry's message). */
async function preview(path) {
  try {
    return await del(`${path}${path.includes('?') ? '&' : '?'}dryRun=true`);
  } catch (error) {
    return {refused: error.message, versions: []};
  }
}

/** What a permanent delete of `version` (at `path`) does to its schema id:
 * gone, unless another subject-version holds it. */
async function idConsequence(version, path) {
  const plan = await preview(path);
  if (plan.refused) return `the registry refuses it now: ${plan.refused}`;
  const [affected] = plan.versions;
  const others = affected.idAlsoHeldBy;
  if (!affected.idStillServed) return `schema id ${version.id} stops being reachable: no other subject-version holds it.`;
  return `schema id ${version.id} stays reachable: ${others.map((o) => `${o.subject} v${o.version}`).join(', ')} also hold${others.length === 1 ? 's' : ''} it.`;
}

/** What a permanent delete of the subject (at `path`) does to its schema
 * ids: those no other subject holds stop being reachable. */
async function idsConsequence(path) {
  const {refused, versions} = await preview(path);
  if (refused) return `the registry refuses it now: ${refused}`;
  const gone = [...new Set(versions.filter((v) => !v.idStillServed).map((v) => v.id))];
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
      `Permanently delete ${subject} v${n}: ${await idConsequence(version, `${base}?permanent=true`)}`,
      last ? ` It is the subject's last version: ${subject} goes, with its own compatibility and mode.` : '',
      refusal(referrers, `v${n}`)),
    path: `${base}?permanent=true`,
    after: () => revisit(last ? '#/subjects' : subjectHref(subject)),
  });
}

/** The whole subject; `versions` every version number, soft-deleted too. */
async function subjectDeletion(subject, versions, live, referrers) {
  const permanent = live.length === 0;
  const path = `/subjects/${segment(subject)}${permanent ? '?permanent=true' : ''}`;
  return action({
    id: 'delete-subject',
    label: permanent ? 'Delete subject permanently' : 'Delete subject',
    summary: h('span', {},
      permanent
        ? `Permanently delete ${subject}: ${plural(versions.length, 'soft-deleted version')} and its own compatibility and mode go for good; ${await idsConsequence(path)}`
        : `Soft-delete ${subject}: ${plural(live.length, 'live version')} ${live.length === 1 ? 'stops' : 'stop'} being served, still readable with deleted=true until deleted for good.`,
      refusal(referrers, 'The version shown')),
    path,
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
