// Small DOM helpers every page script uses. Pages render with textContent only: no HTML strings.

// el("button", { type: "button", class: "small", onclick: fn }, "Save"): attributes that are
// false or null are left out, true gives an empty attribute, on* keys add event listeners.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
