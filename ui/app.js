// The page's router: the view and its state live in the URL's fragment
// (`#/subjects?name=orders`, `#/compare/orders-value/7/8`), so every view
// can be bookmarked, shared and reloaded.

import {ApiError, get, setAuthorization} from './http.js';
import {errorBox, h, show} from './dom.js';
import {comparePage} from './compare.js';
import {registerPage} from './register.js';
import {settingsPage} from './settings.js';
import {schemaById, subjectPage} from './subject.js';
import {listSubjects} from './subjects.js';

const views = [
  [/^\/subjects$/, (_, query) => listSubjects(query)],
  [/^\/subject\/([^/]+)$/, subjectPage],
  [/^\/schema\/(\d+)$/, schemaById],
  [/^\/register$/, registerPage],
  [/^\/settings$/, settingsPage],
  [/^\/compare\/([^/]+)\/([^/]+)\/([^/]+)$/, comparePage],
];

async function route() {
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  for (const [pattern, view] of views) {
    const match = pattern.exec(path);
    if (match) {
      try {
        await view(match.slice(1).map(decodeURIComponent), query);
        window.scrollTo(0, 0);
      } catch (error) {
        show(errorBox(error));
      }
      // Which view is on screen, for tests and tools to wait on.
      document.body.dataset.rendered = location.hash;
      return;
    }
  }
  location.replace('#/subjects');
}

/** The search box: a number looks up a schema id, text filters subjects. */
function search(event) {
  event.preventDefault();
  const text = document.getElementById('search-box').value.trim();
  if (/^\d+$/.test(text)) location.hash = `#/schema/${text}`;
  else location.hash = `#/subjects?${new URLSearchParams({name: text})}`;
}

/** What the caller may change: read-only mode and the principal's role
 * hide every form that would be refused. */
async function session() {
  const {principal, mode, allowed, writesSomewhere} = await get('/ui/api/session');
  const classes = document.body.classList;
  classes.toggle('read-only', mode === 'READONLY' || mode === 'READONLY_OVERRIDE');
  classes.toggle('no-write', !writesSomewhere);
  classes.toggle('no-config', !allowed.alterConfigs);
  document.getElementById('whoami').textContent = principal ?? '';
}

/** A 401: ask for credentials (saying why the last ones were refused),
 * keep them for this tab, start again. */
function login(refusal) {
  const form = h('form', {id: 'login', class: 'row'},
    h('input', {name: 'user', placeholder: 'user', autocomplete: 'username'}),
    h('input', {name: 'password', type: 'password', placeholder: 'password', autocomplete: 'current-password'}),
    ' or ', h('input', {name: 'token', placeholder: 'bearer token'}),
    h('button', {type: 'submit'}, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    setAuthorization(data.get('token')
      ? `Bearer ${data.get('token')}`
      : `Basic ${btoa(`${data.get('user')}:${data.get('password')}`)}`);
    start(true);
  });
  show(h('h1', {}, 'Sign in'), refusal ? errorBox(refusal) : null, form);
}

/** `signingIn`: credentials were just entered, so a 401 refuses them. */
async function start(signingIn = false) {
  try {
    await session();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setAuthorization(null);
      login(signingIn ? error : null);
      return;
    }
    show(errorBox(error));
    return;
  }
  route();
}

window.addEventListener('hashchange', () => session().then(route, route));
document.getElementById('search').addEventListener('submit', search);
start();
