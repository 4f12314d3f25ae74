//! Reusable pieces of the pages.

mod area_form;
mod confirm_dialog;
mod feedback;
mod invite_form;
mod main_menu;
mod password_dialog;
mod rights_diff;
mod rights_table;
mod role_checkboxes;
mod row_spacer;
mod shell;
mod user_edit_row;
mod user_row;
mod user_table;

pub use area_form::{AreaForm, AreaFormProps};
pub use confirm_dialog::ConfirmDialog;
pub use feedback::{ErrorMessage, Feedback, FeedbackMessage, Loading};
pub use invite_form::InviteForm;
pub use main_menu::{MainMenu, MainMenuProps};
pub use password_dialog::PasswordDialog;
pub use rights_diff::RightsDiffSummary;
pub use rights_table::RightsTable;
pub use role_checkboxes::{RoleCheckboxes, RoleCheckboxesProps};
pub use row_spacer::RowSpacer;
pub use shell::Shell;
pub use user_edit_row::{EditDraft, UserEditRow};
pub use user_row::UserRow;
pub use user_table::{Editing, UserTable, UserTableProps};

/// A time as people read it, in their own time zone: "29 Nov 2026, 10:14".
pub fn format_time(time: useradmin_api::Timestamp) -> String {
    thread_local! {
        // A cache, not state: building a formatter costs far more than using one, and a list
        // formats two times per pending invitation.
        static FORMAT: js_sys::Function = {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
            let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&"en-GB".into()), &options).format()
        };
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(time.millis() as f64));
    FORMAT
        .with(|format| format.call1(&wasm_bindgen::JsValue::NULL, &date).ok().and_then(|text| text.as_string()))
        .unwrap_or_default()
}

/// An e-mail address that may wrap after its `@` rather than anywhere, in a narrow column.
pub fn email_text(email: &str) -> yew::Html {
    match email.split_once('@') {
        Some((local, domain)) => yew::html! { <>{ local }{ "@" }<wbr />{ domain }</> },
        None => yew::html! { email },
    }
}

/// How long ago `then` was at `now` (both in milliseconds), as people say it: "just now",
/// "5 minutes ago", "yesterday", "3 days ago", "2 months ago".
pub fn time_ago(then: i64, now: i64) -> String {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let ago = (now - then).max(0);
    let count = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match ago {
        a if a < MINUTE => "just now".to_owned(),
        a if a < HOUR => count(a / MINUTE, "minute"),
        a if a < DAY => count(a / HOUR, "hour"),
        a if a < 2 * DAY => "yesterday".to_owned(),
        a if a < 30 * DAY => count(a / DAY, "day"),
        a if a < 365 * DAY => count(a / (30 * DAY), "month"),
        a => count(a / (365 * DAY), "year"),
    }
}

/// Now, in milliseconds since the epoch.
pub fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

#[cfg(test)]
mod tests {
    use super::time_ago;

    const DAY: i64 = 24 * 60 * 60 * 1000;

    #[test]
    fn times_ago_read_as_people_say_them() {
        let now = 1_800_000_000_000;
        assert_eq!(time_ago(now - 5_000, now), "just now");
        assert_eq!(time_ago(now + 5_000, now), "just now", "a clock slightly ahead is no future");
        assert_eq!(time_ago(now - 60_000, now), "1 minute ago");
        assert_eq!(time_ago(now - 3 * 3_600_000, now), "3 hours ago");
        assert_eq!(time_ago(now - DAY - 1, now), "yesterday");
        assert_eq!(time_ago(now - 3 * DAY, now), "3 days ago");
        assert_eq!(time_ago(now - 95 * DAY, now), "3 months ago");
        assert_eq!(time_ago(now - 800 * DAY, now), "2 years ago");
    }
}
