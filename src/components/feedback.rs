use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    /// What is being loaded: "Loading users…".
    pub label: AttrValue,
}

/// Progress while a request runs, announced to screen readers.
#[component]
pub fn Loading(props: &LoadingProps) -> Html {
    html! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>{ &props.label }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorMessageProps {
    pub message: AttrValue,
    /// Shows a "Try again" button when given.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

/// A failed request: what went wrong, and a way to try again.
#[component]
pub fn ErrorMessage(props: &ErrorMessageProps) -> Html {
    html! {
        <div class="error-message" role="alert">
            <p>{ &props.message }</p>
            if let Some(on_retry) = props.on_retry.clone() {
                <button type="button" onclick={move |_| on_retry.emit(())}>{ "Try again" }</button>
            }
        </div>
    }
}
