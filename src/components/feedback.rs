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

/// How something the person asked for ended, in a sentence for them.
#[derive(Debug, Clone, PartialEq)]
pub enum Feedback {
    /// It was done: "Saved.".
    Done(AttrValue),
    /// It was not: why.
    Failed(AttrValue),
}

impl Feedback {
    pub fn done(text: impl Into<AttrValue>) -> Feedback {
        Feedback::Done(text.into())
    }

    pub fn failed(text: impl Into<AttrValue>) -> Feedback {
        Feedback::Failed(text.into())
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, Feedback::Failed(_))
    }
}

#[derive(Properties, PartialEq)]
pub struct FeedbackMessageProps {
    pub feedback: Option<Feedback>,
    /// For a field's `aria-describedby`.
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A [`Feedback`], if there is one: a success is a polite status, a failure an alert.
#[component]
pub fn FeedbackMessage(props: &FeedbackMessageProps) -> Html {
    let id = props.id.clone();
    match &props.feedback {
        Some(Feedback::Done(text)) => html! { <p class="notice" role="status" {id}>{ text }</p> },
        Some(Feedback::Failed(text)) => html! { <p class="field-error" role="alert" {id}>{ text }</p> },
        None => Html::default(),
    }
}
