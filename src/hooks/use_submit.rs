//! A request a person starts from a form: whether it is running, and how it ended.

use std::future::Future;

use yew::prelude::*;

use crate::api::ApiError;
use crate::components::Feedback;

/// What [`use_submit`] gives a form.
#[derive(Clone, PartialEq)]
pub struct SubmitHandle {
    busy: UseStateHandle<bool>,
    feedback: UseStateHandle<Option<Feedback>>,
}

impl SubmitHandle {
    /// Whether the request runs (its button is disabled meanwhile).
    pub fn busy(&self) -> bool {
        *self.busy
    }

    /// How the last request ended, or why it was not sent.
    pub fn feedback(&self) -> Option<Feedback> {
        (*self.feedback).clone()
    }

    /// Says why the request is not sent (a check in the browser failed).
    pub fn refuse(&self, message: impl Into<AttrValue>) {
        self.feedback.set(Some(Feedback::failed(message)));
    }

    /// Hides a failure, as the person corrects what they typed; a success stays.
    pub fn clear_failure(&self) {
        if (*self.feedback).as_ref().is_some_and(Feedback::is_failure) {
            self.feedback.set(None);
        }
    }

    /// Sends `request`; `answered` acts on its answer and says what to show.
    pub fn run<T: 'static>(
        &self,
        request: impl Future<Output = Result<T, ApiError>> + 'static,
        answered: impl FnOnce(Result<T, ApiError>) -> Option<Feedback> + 'static,
    ) {
        let (busy, feedback) = (self.busy.clone(), self.feedback.clone());
        busy.set(true);
        feedback.set(None);
        yew::platform::spawn_local(async move {
            feedback.set(answered(request.await));
            busy.set(false);
        });
    }
}

#[hook]
pub fn use_submit() -> SubmitHandle {
    SubmitHandle { busy: use_state(|| false), feedback: use_state(|| None) }
}
