// The control of the rendering benchmark: the user table of the User Accounts page written with
// plain DOM calls, as fast as a hand-written page gets. It renders every row it is given, with
// the same markup and classes as the Yew components (UserTable, UserRow, UserEditRow), and
// handles the same clicks: Edit switches a row into edit mode, Cancel back, ticking a role
// updates a text cell.

const ROLES = [
  ["admin", "Administrator"], ["products", "Products"], ["operations", "Operations"],
  ["finance", "Finance"], ["read_only_operations", "ReadOnlyOperations"], ["reports", "Reports"],
  ["templates", "Templates"],
];
const ROLE_NAMES = Object.fromEntries(ROLES);
const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, hiddenText, className, action) {
  const node = el("button", className, label);
  node.type = "button";
  node.dataset.action = action;
  node.append(el("span", "visually-hidden", hiddenText));
  return node;
}

function time(iso) {
  return TIME.format(new Date(iso));
}

function status(user) {
  if (user.status === "registered") return el("span", "status status-registered", "Registered");
  const expired = Date.parse(user.invitation_expires_at) <= Date.now();
  const span = el("span", expired ? "status status-expired" : "status status-pending",
    expired ? "Invitation expired" : "Invitation pending");
  const sent = time(user.invitation_sent_at), expires = time(user.invitation_expires_at);
  span.append(el("small", null, expired ? `sent ${sent}, expired ${expires}` : `sent ${sent}, expires ${expires}`));
  return span;
}

function roleNames(keys) {
  return keys.map((key) => ROLE_NAMES[key]).join(", ");
}

function emailCell(email) {
  const td = el("td");
  const at = email.indexOf("@");
  td.append(email.slice(0, at), "@", document.createElement("wbr"), email.slice(at + 1));
  return td;
}

function cell(child) {
  const td = el("td");
  td.append(child);
  return td;
}

function readRow(user) {
  const tr = el("tr");
  tr.setAttribute("aria-busy", "false");
  const actions = el("div", "actions");
  const pending = user.status === "pending";
  actions.append(button("Edit", ` ${user.email}`, "secondary", "edit"));
  if (pending) actions.append(button("Resend invitation", ` to ${user.email}`, "secondary", "resend"));
  actions.append(button(pending ? "Revoke invitation" : "Remove", ` ${user.email}`, "danger", "remove"));
  tr.append(el("td", null, user.name ?? "—"), emailCell(user.email), cell(status(user)),
    el("td", null, user.roles.length ? roleNames(user.roles) : "No roles"), cell(actions));
  tr.user = user;
  return tr;
}

function editRow(user) {
  const tr = el("tr", "editing");
  tr.setAttribute("aria-busy", "false");
  const prefix = `edit-${user.id}`;
  const nameCell = el("td");
  const label = el("label", "field-label", "Name");
  label.htmlFor = `${prefix}-name`;
  const input = el("input");
  input.id = `${prefix}-name`;
  input.type = "text";
  input.value = user.name ?? "";
  nameCell.append(label, input);
  const rolesCell = el("td");
  const fieldset = el("fieldset", "role-checkboxes");
  const options = el("div", "role-options");
  for (const [key, name] of ROLES) {
    const option = el("label", "role-option");
    option.htmlFor = `${prefix}-role-${key}`;
    const box = el("input");
    box.type = "checkbox";
    box.id = option.htmlFor;
    box.value = key;
    box.checked = user.roles.includes(key);
    option.append(box, name);
    options.append(option);
  }
  fieldset.append(el("legend", null, "Roles"), options);
  rolesCell.append(fieldset, el("p", "diff diff-none", "No change in access."));
  const actions = el("div", "actions");
  actions.append(button("Save", "", null, "save"), button("Cancel", "", "secondary", "cancel"));
  tr.append(nameCell, emailCell(user.email), cell(status(user)), rolesCell, cell(actions));
  tr.user = user;
  input.focus({ preventScroll: true });
  return tr;
}

function onClick(event) {
  const action = event.target.closest("button")?.dataset.action;
  const row = event.target.closest("tr");
  if (action === "edit") row.replaceWith(editRow(row.user));
  if (action === "cancel") row.replaceWith(readRow(row.user));
}

function onChange(event) {
  const row = event.target.closest("tr.editing");
  if (!row) return;
  const ticked = [...row.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
  row.querySelector("p.diff").textContent = `Roles: ${ticked.length ? roleNames(ticked) : "none"}`;
}

export function control_render(root, json) {
  const page = JSON.parse(json);
  const scroll = el("div", "table-scroll");
  const table = el("table", "user-table");
  const head = el("thead");
  const headRow = el("tr");
  for (const title of ["Name", "E-mail", "Status", "Roles", "Actions"]) {
    const th = el("th", null, title);
    th.scope = "col";
    headRow.append(th);
  }
  head.append(headRow);
  const body = el("tbody");
  body.addEventListener("click", onClick);
  body.addEventListener("change", onChange);
  for (const user of page.items) body.append(readRow(user));
  table.append(el("caption", "visually-hidden", "User accounts"), head, body);
  scroll.append(table);
  root.replaceChildren(scroll);
}

export function control_clear(root) {
  root.replaceChildren();
}

export function next_paint() {
  return new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  }));
}

export function next_task() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

export function force_layout() {
  return document.body.offsetHeight;
}

export function now() {
  return performance.now();
}

// Needs Chromium's --js-flags=--expose-gc and --enable-precise-memory-info (xtask passes them):
// without them the figure is null rather than a number that means nothing.
export function js_heap_after_gc() {
  if (typeof gc !== "function" || !performance.memory) return null;
  gc();
  gc();
  return performance.memory.usedJSHeapSize;
}
