//! Component tests in headless Chromium: edit mode, role exclusivity, the menu for every valid
//! role set, read-only rendering, the "Roles and rights" page.
#![cfg(target_arch = "wasm32")]

mod support;

use std::collections::BTreeMap;
use std::rc::Rc;

use support::{all, button, field, mount, text, until};
use useradmin_api::{Timestamp, User, UserStatus};
use useradmin_rights::{Access, Area, Role, RoleSet};
use useradmin_web::components::{AreaForm, AreaFormProps, EditDraft, MainMenu, RoleCheckboxes, UserTable};
use useradmin_web::hooks::PageAction;
use useradmin_web::pages::{RightsPage, RowCallbacks, UsersAction, UsersState, use_row_callbacks};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, KeyboardEventInit};
use yew::prelude::*;
use yew_router::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn output(root: &Element) -> String {
    text(&root.query_selector("output").unwrap().expect("an output"))
}

fn press_key(target: &HtmlElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

// ---- Role checkboxes ----

#[component]
fn RolePicker() -> Html {
    let roles = use_state(|| RoleSet::new([Role::Finance, Role::Reports]).unwrap());
    let on_change = {
        let roles = roles.clone();
        Callback::from(move |set| roles.set(set))
    };
    html! {
        <>
            <RoleCheckboxes roles={*roles} {on_change} id_prefix="t" />
            <output>{ roles.to_string() }</output>
        </>
    }
}

#[wasm_bindgen_test]
async fn ticking_administrator_clears_and_disables_the_other_roles_with_a_reason() {
    let root = mount("");
    yew::Renderer::<RolePicker>::with_root(root.clone()).render();
    until("the role checkboxes", || !all(&root, "input[type=checkbox]").is_empty()).await;
    assert!(field(&root, "Finance").checked() && field(&root, "Reports").checked());

    field(&root, "Administrator").click();
    until("only Administrator to be chosen", || output(&root) == "Administrator").await;
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let checkbox = field(&root, role.name());
        assert!(!checkbox.checked() && checkbox.disabled(), "{role} is cleared and disabled");
    }
    assert!(text(&root).contains("Administrator cannot be combined with other roles"));

    field(&root, "Administrator").click();
    until("no role chosen", || output(&root) == "no roles").await;
    assert!(Role::ALL.into_iter().all(|role| !field(&root, role.name()).disabled()));

    field(&root, "ReadOnlyOperations").click();
    until("ReadOnlyOperations to be chosen", || output(&root) == "ReadOnlyOperations").await;
    assert!(field(&root, "Products").disabled());
    assert!(text(&root).contains("ReadOnlyOperations cannot be combined with other roles"));
}

// ---- Edit mode ----

fn user(id: i64, roles: RoleSet) -> User {
    User {
        id,
        email: format!("user{id}@example.com"),
        name: Some(format!("User {id}")),
        status: UserStatus::Registered,
        roles,
        version: 3,
        invited_at: Timestamp(0),
        invitation_sent_at: None,
        invitation_expires_at: None,
        registered_at: Some(Timestamp(1)),
        deactivated_at: None,
        last_sign_in_at: None,
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    can_write: bool,
    #[prop_or(2)]
    count: i64,
}

/// The User Accounts table driven by the page's own state and row callbacks, holding `count`
/// users of whom the second has the role Products. Saving shows the draft the page would send.
#[component]
fn EditableTable(props: &TableProps) -> Html {
    let state = use_reducer(UsersState::default);
    {
        let dispatcher = state.dispatcher();
        use_effect_with(props.count, move |count| {
            let items = (1..=*count)
                .map(|id| user(id, if id == 2 { RoleSet::single(Role::Products) } else { RoleSet::EMPTY }))
                .collect();
            dispatcher.dispatch(UsersAction::List(PageAction::Loaded {
                request: 0,
                items,
                next_cursor: None,
                append: false,
            }));
        });
    }
    let RowCallbacks { on_edit, on_remove, on_resend, on_deactivate, on_reactivate, on_draft, on_cancel } =
        use_row_callbacks(state.dispatcher());
    let saved = use_state(|| None::<EditDraft>);
    let on_save = {
        let (editing, saved) = (state.editing.clone(), saved.clone());
        Callback::from(move |()| saved.set(editing.clone().map(|editing| editing.draft)))
    };
    html! {
        <>
            <UserTable users={state.list.items.clone()} can_write={props.can_write} editing={state.editing.clone()}
                resend_blocked={state.resend_blocked.clone()} busy={state.busy}
                {on_edit} {on_draft} {on_save} {on_cancel} {on_resend} {on_remove} {on_deactivate} {on_reactivate} />
            <output>{ saved.as_ref().map(|d| format!("saved {} with {}", d.name, d.roles)).unwrap_or_default() }</output>
        </>
    }
}

/// Renders the table of `props` and waits for its rows.
async fn render_table(props: TableProps) -> Element {
    let root = mount("");
    // A desktop width, so that each row's controls stay on one line (about the 56 px the window
    // estimates a row at) without the app's style sheet.
    root.set_attribute("style", "width: 1600px").unwrap();
    yew::Renderer::<EditableTable>::with_root_and_props(root.clone(), props).render();
    // The users arrive in one answer, so their rows (those on screen) render together.
    until("the users' rows", || !all(&root, "tbody tr:not(.spacer)").is_empty()).await;
    root
}

fn editing_rows(root: &Element) -> usize {
    all(root, "tr.editing").len()
}

#[wasm_bindgen_test]
async fn edit_turns_one_row_into_a_name_field_and_role_checkboxes_and_escape_cancels() {
    let root = render_table(TableProps { can_write: true, count: 2 }).await;
    assert_eq!(editing_rows(&root), 0);

    button(&root, "Edit user2@example.com").expect("an Edit button per row").click();
    until("a row in edit mode", || editing_rows(&root) == 1).await;
    let name = field(&root, "Name");
    assert_eq!(name.value(), "User 2");
    assert!(field(&root, "Products").checked());
    assert_eq!(all(&root, "tr.editing input[type=checkbox]").len(), 7);
    assert!(button(&root, "Save").is_some() && button(&root, "Cancel").is_some());

    press_key(name.unchecked_ref(), "Escape");
    until("Escape to leave edit mode", || editing_rows(&root) == 0).await;
}

#[wasm_bindgen_test]
async fn the_edit_row_shows_what_the_new_roles_grant_and_enter_saves() {
    let root = render_table(TableProps { can_write: true, count: 2 }).await;
    button(&root, "Edit user1@example.com").unwrap().click();
    until("a row in edit mode", || editing_rows(&root) == 1).await;
    assert!(text(&root).contains("No change in access."));
    field(&root, "Finance").click();
    until("what Finance grants", || text(&root).contains("Gains:")).await;
    let diff = text(&root.query_selector("tr.editing .diff").unwrap().unwrap());
    assert!(diff.contains("Gains:") && diff.contains("Taxes") && diff.contains("Outbox and Documents"), "{diff}");
    assert!(!diff.contains("User Accounts"));

    press_key(field(&root, "Name").unchecked_ref(), "Enter");
    until("the draft to be saved", || !output(&root).is_empty()).await;
    assert_eq!(output(&root), "saved User 1 with Finance");
}

#[wasm_bindgen_test]
async fn a_long_list_renders_only_the_rows_on_screen_and_keeps_an_edit_while_scrolled_away() {
    let root = render_table(TableProps { can_write: true, count: 1_000 }).await;
    let rows = || all(&root, "tbody tr:not(.spacer)");
    assert!(rows().len() < 100, "only the rows on screen are rendered, not {}", rows().len());
    let table = root.query_selector("table").unwrap().unwrap();
    assert_eq!(table.get_attribute("aria-rowcount").as_deref(), Some("1001"), "the table says how many rows it has");
    assert!(text(&root).contains("user1@example.com") && !text(&root).contains("user500@example.com"));

    button(&root, "Edit user2@example.com").unwrap().click();
    until("a row in edit mode", || editing_rows(&root) == 1).await;
    field(&root, "Finance").click();
    until("what Finance grants", || text(&root).contains("Gains:")).await;

    let scroller: HtmlElement = root.query_selector(".table-scroll").unwrap().unwrap().dyn_into().unwrap();
    scroller.set_attribute("style", "max-height: 600px; overflow-y: auto").unwrap();
    assert!(scroller.scroll_height() >= 56 * 900, "the rows not rendered still take their room");
    let scroll_to = |px: i32| {
        scroller.set_scroll_top(px);
        scroller.dispatch_event(&Event::new("scroll").unwrap()).unwrap();
    };
    let indexes = || -> Vec<usize> {
        rows().iter().map(|row| row.get_attribute("aria-rowindex").unwrap().parse().unwrap()).collect()
    };
    scroll_to(56 * 499);
    until("the rows to follow the scroll", || indexes()[0] > 100).await;
    let indexes = indexes();
    assert!(indexes.windows(2).all(|pair| pair[1] == pair[0] + 1), "consecutive rows: {indexes:?}");
    assert!((400..=520).contains(&indexes[0]) && indexes.len() > 10, "the rows about 500 down: {indexes:?}");
    let row = rows().into_iter().find(|row| row.get_attribute("aria-rowindex").as_deref() == Some("501"));
    let row = row.expect("the 500th user is rendered once scrolled to");
    assert!(text(&row).contains("user500@example.com"));
    assert!(rows().len() < 100, "still only the rows on screen, not {}", rows().len());
    assert_eq!(editing_rows(&root), 0, "the row in edit mode is scrolled away");

    scroll_to(0);
    until("the row in edit mode again", || editing_rows(&root) == 1).await;
    assert!(field(&root, "Products").checked() && field(&root, "Finance").checked(), "the edit kept its ticks");
}

#[wasm_bindgen_test]
async fn without_write_access_the_table_renders_no_write_control() {
    let root = render_table(TableProps { can_write: false, count: 2 }).await;
    assert_eq!(all(&root, "tbody tr").len(), 2);
    assert!(all(&root, "button").is_empty());
    let headers: Vec<String> = all(&root, "thead th").iter().map(text).collect();
    assert_eq!(headers, ["Name", "E-mail", "Status", "Last sign-in", "Roles"]);
}

// ---- The menu for every valid role set ----

#[derive(Properties, PartialEq)]
struct MenuProps {
    roles: RoleSet,
}

#[component]
fn RoutedMenu(props: &MenuProps) -> Html {
    html! { <BrowserRouter><MainMenu roles={props.roles} /></BrowserRouter> }
}

#[wasm_bindgen_test]
async fn the_menu_lists_exactly_the_readable_areas_for_all_34_role_sets() {
    let sets: Vec<RoleSet> = RoleSet::all_valid().collect();
    assert_eq!(sets.len(), 34);
    for roles in sets {
        let root = mount("");
        yew::Renderer::<RoutedMenu>::with_root_and_props(root.clone(), MenuProps { roles }).render();
        until("a main menu", || !all(&root, "nav[aria-label='Main menu']").is_empty()).await;
        let nav = root.query_selector("nav[aria-label='Main menu']").unwrap().unwrap();
        let shown: Vec<(String, bool)> = all(&nav, "a")
            .iter()
            .map(|link| {
                let label = text(&link.query_selector(".menu-label").unwrap().unwrap());
                (label, link.query_selector(".read-only").unwrap().is_some())
            })
            .collect();
        let expected: Vec<(String, bool)> =
            roles.visible_areas().map(|(area, access)| (area.label().to_owned(), access == Access::Read)).collect();
        assert_eq!(shown, expected, "{roles}");
        let sections: Vec<String> = all(&nav, "h2").iter().map(text).collect();
        let mut expected_sections: Vec<String> =
            roles.visible_areas().map(|(area, _)| area.section().label().to_owned()).collect();
        expected_sections.dedup();
        assert_eq!(
            sections.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>(),
            expected_sections.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>(),
            "{roles}"
        );
        if roles.is_empty() {
            assert!(text(&nav).contains("an administrator has to assign you roles"));
        }
        root.remove();
    }
}

// ---- Read-only rendering ----

fn document() -> Rc<BTreeMap<String, String>> {
    Rc::new(BTreeMap::from([("vat".to_owned(), "19".to_owned())]))
}

#[wasm_bindgen_test]
async fn read_access_renders_read_only_fields_and_no_save() {
    let root = mount("");
    let props = AreaFormProps {
        area: Area::Company,
        access: Access::Read,
        document: document(),
        on_save: Callback::noop(),
        saving: false,
    };
    yew::Renderer::<AreaForm>::with_root_and_props(root.clone(), props).render();
    until("the form", || !all(&root, "form input").is_empty()).await;
    let vat = field(&root, "vat");
    assert_eq!(vat.value(), "19");
    assert!(vat.read_only());
    assert!(all(&root, "button").is_empty(), "no write control");
    assert!(text(&root).contains("You can read these settings but not change them."));
}

#[wasm_bindgen_test]
async fn read_write_access_renders_editable_fields_add_and_save() {
    let root = mount("");
    let props = AreaFormProps {
        area: Area::Taxes,
        access: Access::ReadWrite,
        document: document(),
        on_save: Callback::noop(),
        saving: false,
    };
    yew::Renderer::<AreaForm>::with_root_and_props(root.clone(), props).render();
    until("the form", || !all(&root, "form input").is_empty()).await;
    assert!(!field(&root, "vat").read_only());
    assert!(button(&root, "Save").is_some());
    assert!(button(&root, "Add field").is_some());
}

// ---- Session ----

#[component]
fn WhoIsSignedIn() -> Html {
    let session = useradmin_web::hooks::use_session();
    html! { <output>{ session.me().map_or("signed out".to_owned(), |me| me.email.clone()) }</output> }
}

#[wasm_bindgen_test]
async fn a_request_answered_401_anywhere_signs_the_browser_out() {
    use useradmin_web::hooks::{SessionProvider, SessionProviderProps};
    let root = mount("");
    let me = Rc::new(useradmin_api::Me::new(1, "ada@example.com".to_owned(), None, RoleSet::single(Role::Admin)));
    let props = SessionProviderProps { children: html! { <WhoIsSignedIn /> }, initial: Some(me) };
    yew::Renderer::<SessionProvider>::with_root_and_props(root.clone(), props).render();
    until("the signed-in user", || !all(&root, "output").is_empty()).await;
    assert_eq!(output(&root), "ada@example.com");

    // What the generic request function fires when the server answers 401.
    let event = Event::new(useradmin_web::api::SESSION_ENDED).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    until("the browser to sign out", || output(&root) == "signed out").await;
}

// ---- The "Roles and rights" page ----

async fn render_rights_page() -> Element {
    let root = mount("");
    yew::Renderer::<RightsPage>::with_root(root.clone()).render();
    until("the rights table", || !all(&root, "table tbody tr").is_empty()).await;
    root
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    all(root, selector).iter().map(text).collect()
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
    let rows = all(&root, "tbody tr:not(.section-row)");
    assert_eq!(rows.len(), 27);
    let row_of = |label: &str| -> Vec<String> {
        rows.iter()
            .find(|row| texts(row, "th").first().map(String::as_str) == Some(label))
            .map(|row| texts(row, "td"))
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(row_of("Taxes"), ["rw", "r", "r", "rw", "r", "r", "r"]);
    assert_eq!(row_of("User Accounts"), ["rw", "-", "-", "-", "-", "-", "-"]);
    assert_eq!(row_of("Audit log"), ["r", "-", "-", "-", "-", "-", "-"]);
}
