//! The "Roles and rights" page, rendered in headless Chromium.
#![cfg(target_arch = "wasm32")]

use useradmin_web::pages::RightsPage;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

async fn render_rights_page() -> Element {
    let root = mount_point();
    yew::Renderer::<RightsPage>::with_root(root.clone()).render();
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    root
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().dyn_into::<HtmlElement>().unwrap().inner_text()).collect()
}

#[wasm_bindgen_test]
async fn the_rights_page_shows_27_area_rows_and_the_7_role_columns() {
    let root = render_rights_page().await;

    assert_eq!(texts(&root, "h1"), ["Roles and rights"]);
    let table = root.query_selector("table").unwrap().expect("a table");
    assert_eq!(texts(&table, "caption"), ["Access per role and area"]);

    let columns = texts(&table, "thead th[scope=col]");
    assert_eq!(
        columns,
        ["Area", "Administrator", "Products", "Operations", "Finance", "ReadOnlyOperations", "Reports", "Templates"]
    );

    let areas = texts(&table, "tbody th[scope=row]");
    assert_eq!(areas.len(), 27);
    assert_eq!(areas.first().map(String::as_str), Some("Company"));
    assert_eq!(areas.last().map(String::as_str), Some("Handling Fees"));

    let sections = texts(&table, "tbody th[scope=rowgroup]");
    assert_eq!(
        sections.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>(),
        ["settings", "dashboard", "products", "customers and contracts", "outbox and documents", "logs", "finance"]
    );
}

#[wasm_bindgen_test]
async fn each_cell_shows_the_access_of_its_role_over_its_area() {
    let root = render_rights_page().await;
    let rows = root.query_selector_all("tbody tr:not(.section-row)").unwrap();
    assert_eq!(rows.length(), 27);
    let row_of = |label: &str| -> Vec<String> {
        (0..rows.length())
            .map(|i| rows.item(i).unwrap().dyn_into::<Element>().unwrap())
            .find(|row| texts(row, "th").first().map(String::as_str) == Some(label))
            .map(|row| texts(&row, "td"))
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(row_of("Taxes"), ["rw", "r", "r", "rw", "r", "r", "r"]);
    assert_eq!(row_of("User Accounts"), ["rw", "-", "-", "-", "-", "-", "-"]);
    assert_eq!(row_of("Audit log"), ["r", "-", "-", "-", "-", "-", "-"]);
}
