//! What the browser tests share: a place to render into, finding elements the way a person
//! does (by label, by the text of a button), and waiting for what should happen instead of
//! sleeping for a guess.

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// How long [`until`] waits before it gives up.
const PATIENCE_MS: f64 = 5_000.0;

/// A fresh element at the end of the document's body, with `class` (the stylesheet applies to
/// some pages by their class).
pub fn mount(class: &str) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("section").unwrap();
    root.set_class_name(class);
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Every element under `root` that `css` selects, in document order.
pub fn all(root: &Element, css: &str) -> Vec<Element> {
    let nodes = root.query_selector_all(css).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
}

/// The text of `element` as rendered (what a person reads, styles applied).
pub fn text(element: &Element) -> String {
    element.clone().dyn_into::<HtmlElement>().unwrap().inner_text()
}

/// The input whose label reads `label`.
pub fn field(root: &Element, label: &str) -> HtmlInputElement {
    let label = all(root, "label")
        .into_iter()
        .find(|l| text(l).trim() == label)
        .unwrap_or_else(|| panic!("no field labelled {label}"));
    let id = label.get_attribute("for").expect("a label for a field");
    root.query_selector(&format!("#{id}")).unwrap().unwrap().dyn_into().unwrap()
}

/// The button whose text reads `name`.
pub fn button(root: &Element, name: &str) -> Option<HtmlElement> {
    // White space folded as in an accessible name: the visually hidden part of a button's name
    // is laid out as a block in some layouts, and innerText then puts a line break before it.
    let folded = |b: &Element| text(b).split_whitespace().collect::<Vec<_>>().join(" ");
    all(root, "button").into_iter().find(|b| folded(b) == name).map(|b| b.dyn_into().unwrap())
}

/// Waits until `condition` holds (Yew renders after the event that changed its state), or fails
/// the test saying what did not happen.
pub async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + PATIENCE_MS;
    while !condition() {
        assert!(js_sys::Date::now() < deadline, "gave up waiting for {what}");
        yew::platform::time::sleep(Duration::from_millis(5)).await;
    }
}
