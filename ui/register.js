// Test a schema against a subject, then register it: paste or upload the
// schema, add references as rows, check it against the latest version, one
// version or everything registration would check, read each message, and
// register once the check passed for exactly what the form holds. A
// refusal leaves the form as it was.

import {ApiError, post, segment} from './http.js';
import {h, show, subjectHref} from './dom.js';

function referenceRow(reference = {}) {
  const row = h('div', {class: 'row reference'},
    h('input', {name: 'ref-name', placeholder: 'name (import or $ref)', value: reference.name ?? ''}),
    h('input', {name: 'ref-subject', placeholder: 'subject', value: reference.subject ?? ''}),
    h('input', {name: 'ref-version', placeholder: 'version', size: 6, value: reference.version ?? ''}),
    h('button', {type: 'button', onclick: () => row.remove()}, 'Remove'));
  return row;
}

/** The registration request the form describes. */
function request(form) {
  const data = new FormData(form);
  const body = {schema: data.get('schema')};
  if (data.get('schemaType') !== 'AVRO') body.schemaType = data.get('schemaType');
  const references = [...form.querySelectorAll('.reference')].map((row) => ({
    name: row.querySelector('[name=ref-name]').value,
    subject: row.querySelector('[name=ref-subject]').value,
    version: Number(row.querySelector('[name=ref-version]').value),
  }));
  if (references.length) body.references = references;
  return {subject: data.get('subject'), target: data.get('target'), version: data.get('version'), body};
}

function checkPath({subject, target, version}) {
  const base = `/compatibility/subjects/${segment(subject)}/versions`;
  if (target === 'all') return `${base}?verbose=true`;
  return `${base}/${target === 'latest' ? 'latest' : segment(version)}?verbose=true`;
}

function messages(list) {
  return h('ul', {class: 'messages', id: 'messages'}, list.map((m) => h('li', {}, h('code', {}, m))));
}

export function registerPage(_, query) {
  const outcome = h('div', {id: 'outcome'});
  const references = h('div', {id: 'references'});
  const registerButton = h('button', {type: 'button', id: 'register', disabled: true}, 'Register');
  const upload = h('input', {type: 'file', id: 'upload', accept: '.avsc,.json,.proto,text/plain'});
  const form = h('form', {id: 'test-form'},
    h('div', {class: 'row'},
      h('label', {}, 'Subject ', h('input', {name: 'subject', required: true, value: query.get('subject') ?? ''})),
      h('label', {}, 'Type ', h('select', {name: 'schemaType'},
        ['AVRO', 'PROTOBUF', 'JSON'].map((t) => h('option', {value: t}, t))))),
    h('textarea', {name: 'schema', required: true, placeholder: 'Paste a schema, or upload a file', spellcheck: 'false'}),
    h('div', {class: 'row'}, 'Upload ', upload),
    h('h2', {}, 'References'),
    references,
    h('button', {type: 'button', id: 'add-reference', onclick: () => references.append(referenceRow())}, 'Add reference'),
    h('h2', {}, 'Check against'),
    h('div', {class: 'row'},
      h('select', {name: 'target'},
        h('option', {value: 'latest'}, 'the latest version'),
        h('option', {value: 'version'}, 'version…'),
        h('option', {value: 'all'}, 'what registration checks (all versions for transitive levels)')),
      h('input', {name: 'version', placeholder: 'version', size: 6}),
      h('button', {type: 'submit', id: 'check'}, 'Check'),
      registerButton),
    outcome);

  // A passing check is good only for the form as it was checked.
  let passed = null;
  const snapshot = () => JSON.stringify(request(form));
  form.addEventListener('input', () => { registerButton.disabled = passed !== snapshot(); });
  upload.addEventListener('change', async () => {
    const file = upload.files[0];
    if (!file) return;
    form.elements.schema.value = await file.text();
    if (file.name.endsWith('.proto')) form.elements.schemaType.value = 'PROTOBUF';
    form.dispatchEvent(new Event('input'));
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const asked = request(form);
    passed = null;
    registerButton.disabled = true;
    try {
      const answer = await post(checkPath(asked), asked.body);
      if (answer.is_compatible) {
        passed = snapshot();
        registerButton.disabled = false;
        outcome.replaceChildren(h('div', {class: 'ok', id: 'check-passed'}, 'Compatible: you can register it.'));
      } else {
        outcome.replaceChildren(h('div', {class: 'error', id: 'check-failed'}, 'Not compatible:', messages(answer.messages ?? [])));
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 40401 && asked.target !== 'version') {
        passed = snapshot();
        registerButton.disabled = false;
        outcome.replaceChildren(h('div', {class: 'ok', id: 'check-passed'}, 'New subject: nothing to check against.'));
      } else {
        outcome.replaceChildren(h('div', {class: 'error', id: 'check-failed'}, `${error.message} (${error.code})`));
      }
    }
  });

  registerButton.addEventListener('click', async () => {
    const asked = request(form);
    try {
      const {id} = await post(`/subjects/${segment(asked.subject)}/versions`, asked.body);
      outcome.replaceChildren(h('div', {class: 'ok', id: 'registered'},
        `Registered with id ${id}: `, h('a', {href: subjectHref(asked.subject)}, asked.subject)));
      passed = null;
      registerButton.disabled = true;
    } catch (error) {
      outcome.replaceChildren(h('div', {class: 'error', id: 'register-failed'}, `${error.message} (${error.code})`));
    }
  });

  show(h('h1', {}, 'Test & register'), form);
}
