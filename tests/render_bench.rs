//! The rendering benchmark of `cargo xtask bench`, in headless Chromium: the User Accounts table,
//! fed by the page's own state with 150, 1,000 and 10,000 accounts in the JSON the server
//! returns, against a control written with plain DOM calls that renders the same markup, in the
//! same browser session, alternating, with the app's stylesheet. Each measure runs from the event
//! (data in hand, or a real click) to the next paint. It prints one line, `RENDER_BENCH {json}`,
//! for xtask to read; it asserts only that both sides rendered what they were given.
//!
//! Ignored by `cargo xtask test`: run by `cargo xtask bench` with `--include-ignored --nocapture`.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Value, json};
use support::{all, button, field, mount, text, until};
use useradmin_api::{Timestamp, User, UserPage, UserStatus};
use useradmin_rights::RoleSet;
use useradmin_web::components::UserTable;
use useradmin_web::hooks::PageAction;
use useradmin_web::pages::{RowCallbacks, UsersAction, UsersState, use_row_callbacks};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Runs of each measure, on each side.
const RUNS: usize = 10;
/// 150 accounts are rendered whole by both sides (the page windows longer lists): the same DOM
/// work, so that size compares Yew with plain DOM calls; 1,000 and 10,000 are the sizes.
const SIZES: [usize; 3] = [150, 1_000, 10_000];
/// The row switched into edit mode (on screen in both).
const EDITED_ROW: usize = 3;

#[wasm_bindgen(module = "/tests/render_bench/control.js")]
extern "C" {
    /// Renders the page of users in `json` into `root` with plain DOM calls.
    fn control_render(root: &Element, json: &str);
    fn control_clear(root: &Element);
    /// Resolves after the next paint: the next animation frame, then a task.
    fn next_paint() -> js_sys::Promise;
    /// Resolves in the next task, after every microtask (Yew renders in microtasks).
    fn next_task() -> js_sys::Promise;
    /// Makes the browser compute style and layout now.
    fn force_layout() -> f64;
    /// `performance.now()`.
    fn now() -> f64;
    /// The JS heap in use after a full garbage collection, in bytes (`None` when the browser
    /// was started without the flags that allow it).
    fn js_heap_after_gc() -> Option<f64>;
}

fn users(count: usize) -> String {
    let sets: Vec<RoleSet> = RoleSet::all_valid().collect();
    let day = 86_400_000;
    let items = (0..count as i64)
        .map(|i| {
            let pending = i % 3 == 1;
            User {
                id: i + 1,
                email: format!("person{i:05}@example.com"),
                name: (!pending || i % 2 == 0).then(|| format!("Person {i} Example")),
                status: if pending { UserStatus::Pending } else { UserStatus::Registered },
                roles: sets[i as usize % sets.len()],
                version: 1 + i % 4,
                invited_at: Timestamp(1_790_000_000_000 - i * 60_000),
                invitation_sent_at: pending.then_some(Timestamp(1_795_000_000_000 - i * 60_000)),
                // Every second pending invitation has expired.
                invitation_expires_at: pending.then_some(Timestamp(1_795_000_000_000 + (i % 2 * 2 - 1) * 3 * day)),
                registered_at: (!pending).then_some(Timestamp(1_791_000_000_000)),
                deactivated_at: None,
                last_sign_in_at: None,
            }
        })
        .collect();
    serde_json::to_string(&UserPage { items, next_cursor: None }).unwrap()
}

#[derive(Properties, PartialEq)]
struct HostProps {
    on_ready: Callback<UseReducerDispatcher<UsersState>>,
}

/// The User Accounts table as the page renders it, driven by the page's state.
#[component]
fn Host(props: &HostProps) -> Html {
    let state = use_reducer(UsersState::default);
    {
        let (dispatcher, on_ready) = (state.dispatcher(), props.on_ready.clone());
        use_effect_with((), move |_| on_ready.emit(dispatcher));
    }
    // Wired as UserAccountsPage wires it.
    let RowCallbacks { on_edit, on_remove, on_draft, on_cancel, .. } = use_row_callbacks(state.dispatcher());
    html! {
        <UserTable users={state.list.items.clone()} can_write=true editing={state.editing.clone()}
            resend_blocked={state.resend_blocked.clone()} busy={state.busy}
            {on_edit} {on_remove} {on_draft} {on_cancel} on_save={Callback::noop()} on_resend={Callback::noop()} />
    }
}

/// One side of the comparison.
trait Side {
    fn load(&self, json: &str);
    /// How many accounts the table holds (not all need to be in the document).
    fn accounts(&self) -> usize;
    fn clear(&self);
    fn root(&self) -> &Element;
}

/// The answer to the page's first (and only) request for users.
fn first_page(items: Vec<User>) -> UsersAction {
    UsersAction::List(PageAction::Loaded { request: 0, items, next_cursor: None, append: false })
}

struct App {
    root: Element,
    state: UseReducerDispatcher<UsersState>,
}

impl Side for App {
    fn load(&self, json: &str) {
        let page: UserPage = serde_json::from_str(json).expect("the page of users parses");
        self.state.dispatch(first_page(page.items));
    }
    fn accounts(&self) -> usize {
        let table = self.root.query_selector("table").unwrap().expect("a table");
        match table.get_attribute("aria-rowcount") {
            Some(count) => count.parse::<usize>().unwrap() - 1,
            None => rows_in_document(&self.root),
        }
    }
    fn clear(&self) {
        self.state.dispatch(UsersAction::Cancel);
        self.state.dispatch(first_page(Vec::new()));
    }
    fn root(&self) -> &Element {
        &self.root
    }
}

struct Control {
    root: Element,
}

impl Side for Control {
    fn load(&self, json: &str) {
        control_render(&self.root, json);
    }
    fn accounts(&self) -> usize {
        rows_in_document(&self.root)
    }
    fn clear(&self) {
        control_clear(&self.root);
    }
    fn root(&self) -> &Element {
        &self.root
    }
}

async fn paint() {
    JsFuture::from(next_paint()).await.unwrap();
}

/// Milliseconds from `action` to the document being rendered and laid out (the work, without
/// waiting for a frame), and to the next paint.
async fn timed(action: impl FnOnce()) -> Timing {
    let start = now();
    action();
    JsFuture::from(next_task()).await.unwrap();
    force_layout();
    let work = now() - start;
    paint().await;
    Timing { work, to_paint: now() - start }
}

#[derive(Debug, Clone, Copy)]
struct Timing {
    work: f64,
    to_paint: f64,
}

fn named_button(root: &Element, name: &str) -> HtmlElement {
    button(root, name).unwrap_or_else(|| panic!("no button {name:?}"))
}

fn email(row: usize) -> String {
    format!("person{row:05}@example.com")
}

fn rows_in_document(root: &Element) -> usize {
    all(root, "tbody tr:not(.spacer)").len()
}

/// One run on one side: [first render, into edit mode, tick a role, back to read mode], and
/// how many rows the document held.
async fn run(side: &dyn Side, json: &str, size: usize) -> ([Timing; 4], usize) {
    side.clear();
    paint().await;
    let render = timed(|| side.load(json)).await;
    let root = side.root();
    assert_eq!(side.accounts(), size, "every account is in the table");
    assert!(text(root).contains(&email(0)), "the first account is rendered");
    let in_document = rows_in_document(root);
    let edit = named_button(root, &format!("Edit {}", email(EDITED_ROW)));
    let into_edit = timed(|| edit.click()).await;
    let finance = field(root, "Finance");
    let tick = timed(|| finance.click()).await;
    let cancel = named_button(root, "Cancel");
    let back = timed(|| cancel.click()).await;
    assert!(root.query_selector("tr.editing").unwrap().is_none(), "back in read mode");
    ([render, into_edit, tick, back], in_document)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] }
}

/// JS heap (and the app's wasm memory) after loading 1,000 accounts, and again after five
/// cycles of clearing and loading them.
async fn memory(side: &dyn Side, json: &str) -> Value {
    side.clear();
    paint().await;
    side.load(json);
    paint().await;
    let (heap, wasm) = (js_heap_after_gc(), wasm_memory());
    for _ in 0..5 {
        side.clear();
        paint().await;
        side.load(json);
        paint().await;
    }
    let (heap_after, wasm_after) = (js_heap_after_gc(), wasm_memory());
    side.clear();
    paint().await;
    json!({"js_heap_loaded": heap, "js_heap_after_5_cycles": heap_after,
           "wasm_memory_loaded": wasm, "wasm_memory_after_5_cycles": wasm_after})
}

fn wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// A root with the page's class, so the stylesheet applies as on User Accounts.
fn page_root() -> Element {
    mount("user-accounts")
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: `cargo xtask bench` runs it"]
async fn user_table_rendering_against_a_plain_dom_control() {
    let document = web_sys::window().unwrap().document().unwrap();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../styles/main.css")));
    document.head().unwrap().append_child(&style).unwrap();

    let slot = Rc::new(RefCell::new(None));
    let on_ready = {
        let slot = Rc::clone(&slot);
        Callback::from(move |dispatcher| *slot.borrow_mut() = Some(dispatcher))
    };
    let app_root = page_root();
    yew::Renderer::<Host>::with_root_and_props(app_root.clone(), HostProps { on_ready }).render();
    until("the table to be mounted", || slot.borrow().is_some()).await;
    paint().await;
    let app = App { root: app_root, state: slot.borrow_mut().take().unwrap() };
    let control = Control { root: page_root() };

    // The floor of every measure: from doing nothing to the next paint.
    let mut idle = Vec::new();
    for _ in 0..2 * RUNS {
        idle.push(timed(|| ()).await.to_paint);
    }
    let names = ["render", "edit_mode_on", "tick_role", "edit_mode_off"];
    let mut sizes = Vec::new();
    for size in SIZES {
        let json = users(size);
        let (mut ours, mut theirs) = (vec![Vec::new(); 4], vec![Vec::new(); 4]);
        let mut app_rows_in_document = 0;
        for round in 0..RUNS {
            // Alternate which side goes first.
            let order: [(&dyn Side, bool); 2] =
                if round % 2 == 0 { [(&app, true), (&control, false)] } else { [(&control, false), (&app, true)] };
            for (side, is_app) in order {
                let (times, in_document) = run(side, &json, size).await;
                side.clear();
                paint().await;
                if is_app {
                    app_rows_in_document = in_document;
                }
                let into = if is_app { &mut ours } else { &mut theirs };
                for (all, time) in into.iter_mut().zip(times) {
                    all.push(time);
                }
            }
        }
        let measures: serde_json::Map<String, Value> = names
            .iter()
            .zip(ours.into_iter().zip(theirs))
            .map(|(name, (ours, theirs)): (_, (Vec<Timing>, Vec<Timing>))| {
                let medians = |pick: fn(&Timing) -> f64| {
                    let (app, control) =
                        (median(ours.iter().map(pick).collect()), median(theirs.iter().map(pick).collect()));
                    json!({"app_ms": app, "control_ms": control, "ratio": app / control})
                };
                (name.to_string(), json!({"work": medians(|t| t.work), "to_paint": medians(|t| t.to_paint)}))
            })
            .collect();
        sizes.push(json!({"accounts": size, "runs": RUNS, "measures": measures,
                          "app_rows_in_document": app_rows_in_document}));
    }
    let json = users(1_000);
    let memory = json!({"app": memory(&app, &json).await, "control": memory(&control, &json).await});
    let report = json!({"idle_frame_ms": median(idle), "sizes": sizes, "memory": memory});
    console_log!("RENDER_BENCH {report}");
}
