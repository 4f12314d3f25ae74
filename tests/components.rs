//! Component tests in headless Chromium: edit mode, role exclusivity, the menu for every valid
//! role set, read-only rendering.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use useradmin_api::{Timestamp, User, UserStatus};
use useradmin_rights::{Access, Area, Role, RoleSet};
use useradmin_web::components::{AreaForm, AreaFormProps, EditDraft, Editing, MainMenu, RoleCheckboxes, UserTable};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::prelude::*;
use yew_router::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn all(root: &Element, css: &str) -> Vec<Element> {
    let nodes = root.query_selector_all(css).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
}

fn text(element: &Element) -> String {
    element.clone().dyn_into::<HtmlElement>().unwrap().inner_text()
}

/// The input whose label reads `label`.
fn field(root: &Element, label: &str) -> HtmlInputElement {
    let label = all(root, "label")
        .into_iter()
        .find(|l| text(l).trim() == label)
        .unwrap_or_else(|| panic!("no field labelled {label}"));
    let id = label.get_attribute("for").expect("a label for a field");
    root.query_selector(&format!("#{id}")).unwrap().unwrap().dyn_into().unwrap()
}

/// The button whose text reads `name`.
fn button(root: &Element, name: &str) -> Option<HtmlElement> {
    all(root, "button").into_iter().find(|b| text(b).trim() == name).map(|b| b.dyn_into().unwrap())
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
    let root = mount();
    yew::Renderer::<RolePicker>::with_root(root.clone()).render();
    settle().await;
    assert!(field(&root, "Finance").checked() && field(&root, "Reports").checked());

    field(&root, "Administrator").click();
    settle().await;
    assert_eq!(text(&root.query_selector("output").unwrap().unwrap()), "Administrator");
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let checkbox = field(&root, role.name());
        assert!(!checkbox.checked() && checkbox.disabled(), "{role} is cleared and disabled");
    }
    assert!(text(&root).contains("Administrator cannot be combined with other roles"));

    field(&root, "Administrator").click();
    settle().await;
    assert!(Role::ALL.into_iter().all(|role| !field(&root, role.name()).disabled()));

    field(&root, "ReadOnlyOperations").click();
    settle().await;
    assert!(field(&root, "Products").disabled());
    assert!(text(&root).contains("ReadOnlyOperations cannot be combined with other roles"));
}

// ---- Edit mode ----

fn user(id: i64, roles: RoleSet) -> Rc<User> {
    Rc::new(User {
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
    })
}

#[derive(Properties, PartialEq)]
struct TableProps {
    can_write: bool,
    #[prop_or(2)]
    count: i64,
}

#[component]
fn EditableTable(props: &TableProps) -> Html {
    let users = use_memo(props.count, |count| {
        (1..=*count)
            .map(|id| user(id, if id == 2 { RoleSet::single(Role::Products) } else { RoleSet::EMPTY }))
            .collect::<Vec<_>>()
    });
    let editing = use_state(|| None::<Editing>);
    let saved = use_state(|| None::<EditDraft>);
    let on_edit = {
        let (editing, users) = (editing.clone(), users.clone());
        Callback::from(move |id: i64| {
            let user = users.iter().find(|u| u.id == id).unwrap();
            editing.set(Some(Editing { id, draft: EditDraft::of(user), saving: false, message: None }));
        })
    };
    let on_draft = {
        let editing = editing.clone();
        Callback::from(move |draft| editing.set((*editing).clone().map(|e| Editing { draft, ..e })))
    };
    let on_save = {
        let (editing, saved) = (editing.clone(), saved.clone());
        Callback::from(move |()| saved.set((*editing).clone().map(|e| e.draft)))
    };
    let on_cancel = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    html! {
        <>
            <UserTable users={Rc::new((*users).clone())} can_write={props.can_write} editing={(*editing).clone()}
                {on_edit} {on_draft} {on_save} {on_cancel} on_resend={Callback::noop()} on_remove={Callback::noop()} />
            <output>{ saved.as_ref().map(|d| format!("saved {} with {}", d.name, d.roles)).unwrap_or_default() }</output>
        </>
    }
}

#[wasm_bindgen_test]
async fn edit_turns_one_row_into_a_name_field_and_role_checkboxes_and_escape_cancels() {
    let root = mount();
    yew::Renderer::<EditableTable>::with_root_and_props(root.clone(), TableProps { can_write: true, count: 2 })
        .render();
    settle().await;
    assert!(root.query_selector("tr.editing").unwrap().is_none());

    button(&root, "Edit user2@example.com").expect("an Edit button per row").click();
    settle().await;
    assert_eq!(all(&root, "tr.editing").len(), 1);
    let name = field(&root, "Name");
    assert_eq!(name.value(), "User 2");
    assert!(field(&root, "Products").checked());
    assert_eq!(all(&root, "tr.editing input[type=checkbox]").len(), 7);
    assert!(button(&root, "Save").is_some() && button(&root, "Cancel").is_some());

    press_key(name.unchecked_ref(), "Escape");
    settle().await;
    assert!(root.query_selector("tr.editing").unwrap().is_none(), "Escape leaves edit mode");
}

#[wasm_bindgen_test]
async fn the_edit_row_shows_what_the_new_roles_grant_and_enter_saves() {
    let root = mount();
    yew::Renderer::<EditableTable>::with_root_and_props(root.clone(), TableProps { can_write: true, count: 2 })
        .render();
    settle().await;
    button(&root, "Edit user1@example.com").unwrap().click();
    settle().await;
    assert!(text(&root).contains("No change in access."));
    field(&root, "Finance").click();
    settle().await;
    let diff = text(&root.query_selector("tr.editing .diff").unwrap().unwrap());
    assert!(diff.contains("Gains:") && diff.contains("Taxes") && diff.contains("Outbox and Documents"), "{diff}");
    assert!(!diff.contains("User Accounts"));

    press_key(field(&root, "Name").unchecked_ref(), "Enter");
    settle().await;
    assert_eq!(text(&root.query_selector("output").unwrap().unwrap()), "saved User 1 with Finance");
}

#[wasm_bindgen_test]
async fn a_long_list_renders_only_the_rows_on_screen_and_keeps_an_edit_while_scrolled_away() {
    let root = mount();
    // A desktop width, so that each row's controls stay on one line (about the 56 px the window
    // estimates a row at) without the app's style sheet.
    root.set_attribute("style", "width: 1600px").unwrap();
    yew::Renderer::<EditableTable>::with_root_and_props(root.clone(), TableProps { can_write: true, count: 1_000 })
        .render();
    settle().await;
    let rows = || all(&root, "tbody tr:not(.spacer)");
    assert!(rows().len() < 100, "only the rows on screen are rendered, not {}", rows().len());
    let table = root.query_selector("table").unwrap().unwrap();
    assert_eq!(table.get_attribute("aria-rowcount").as_deref(), Some("1001"), "the table says how many rows it has");
    assert!(text(&root).contains("user1@example.com") && !text(&root).contains("user500@example.com"));

    button(&root, "Edit user2@example.com").unwrap().click();
    settle().await;
    field(&root, "Finance").click();
    settle().await;

    let scroller: HtmlElement = root.query_selector(".table-scroll").unwrap().unwrap().dyn_into().unwrap();
    scroller.set_attribute("style", "max-height: 600px; overflow-y: auto").unwrap();
    assert!(scroller.scroll_height() >= 56 * 900, "the rows not rendered still take their room");
    let scroll_to = |px: i32| {
        scroller.set_scroll_top(px);
        scroller.dispatch_event(&Event::new("scroll").unwrap()).unwrap();
    };
    scroll_to(56 * 499);
    settle().await;
    let indexes: Vec<usize> =
        rows().iter().map(|row| row.get_attribute("aria-rowindex").unwrap().parse().unwrap()).collect();
    assert!(indexes.windows(2).all(|pair| pair[1] == pair[0] + 1), "consecutive rows: {indexes:?}");
    assert!((400..=520).contains(&indexes[0]) && indexes.len() > 10, "the rows about 500 down: {indexes:?}");
    let row = rows().into_iter().find(|row| row.get_attribute("aria-rowindex").as_deref() == Some("501"));
    let row = row.expect("the 500th user is rendered once scrolled to");
    assert!(text(&row).contains("user500@example.com"));
    assert!(rows().len() < 100, "still only the rows on screen, not {}", rows().len());
    assert!(root.query_selector("tr.editing").unwrap().is_none(), "the row in edit mode is scrolled away");

    scroll_to(0);
    settle().await;
    assert!(field(&root, "Products").checked() && field(&root, "Finance").checked(), "the edit kept its ticks");
}

#[wasm_bindgen_test]
async fn without_write_access_the_table_renders_no_write_control() {
    let root = mount();
    yew::Renderer::<EditableTable>::with_root_and_props(root.clone(), TableProps { can_write: false, count: 2 })
        .render();
    settle().await;
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
        let root = mount();
        yew::Renderer::<RoutedMenu>::with_root_and_props(root.clone(), MenuProps { roles }).render();
        settle().await;
        let nav = root.query_selector("nav[aria-label='Main menu']").unwrap().expect("a main menu");
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
    let root = mount();
    let props = AreaFormProps {
        area: Area::Company,
        access: Access::Read,
        document: document(),
        on_save: Callback::noop(),
        saving: false,
    };
    yew::Renderer::<AreaForm>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let vat = field(&root, "vat");
    assert_eq!(vat.value(), "19");
    assert!(vat.read_only());
    assert!(all(&root, "button").is_empty(), "no write control");
    assert!(text(&root).contains("You can read these settings but not change them."));
}

#[wasm_bindgen_test]
async fn read_write_access_renders_editable_fields_add_and_save() {
    let root = mount();
    let props = AreaFormProps {
        area: Area::Taxes,
        access: Access::ReadWrite,
        document: document(),
        on_save: Callback::noop(),
        saving: false,
    };
    yew::Renderer::<AreaForm>::with_root_and_props(root.clone(), props).render();
    settle().await;
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
    let root = mount();
    let me = Rc::new(useradmin_api::Me::new(1, "ada@example.com".to_owned(), None, RoleSet::single(Role::Admin)));
    let props = SessionProviderProps { children: html! { <WhoIsSignedIn /> }, initial: Some(me) };
    yew::Renderer::<SessionProvider>::with_root_and_props(root.clone(), props).render();
    settle().await;
    assert_eq!(text(&root.query_selector("output").unwrap().unwrap()), "ada@example.com");

    // What the generic request function fires when the server answers 401.
    let event = Event::new(useradmin_web::api::SESSION_ENDED).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    settle().await;
    assert_eq!(text(&root.query_selector("output").unwrap().unwrap()), "signed out");
}
