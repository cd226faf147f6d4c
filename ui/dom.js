// Building elements from data without ever parsing data as HTML.

/** `h('a', {href: '#/x'}, 'text', child)`: attributes starting with `on`
 * are listeners; `null`, `undefined` and `false` children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces the page's content; children as `h` takes them. */
export function show(...children) {
  document.getElementById('view').replaceChildren(...h('div', {}, ...children).childNodes);
}

export function errorBox(error) {
  return h('div', {class: 'error', role: 'alert'}, error.message ?? String(error));
}

/** A setting's value and where it comes from: `BACKWARD (global)`. */
export function setting({value, source}) {
  return h('span', {}, value, ' ', h('span', {class: 'source'}, `(${source})`));
}

/** A subject's page link; subject names may hold any character. */
export function subjectHref(subject) {
  return `#/subject/${encodeURIComponent(subject)}`;
}
