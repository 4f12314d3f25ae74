//! Loading one thing from the server for a page: loading, ready, failed with a way to try again.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use crate::api::ApiError;
use crate::components::{ErrorMessage, Loading};

/// Where a page stands with the one thing it loads.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(Rc<T>),
    Failed(ApiError),
}

/// What [`use_load`] gives a page: the state, a retry, and a way to replace what was loaded (with
/// what a save returned).
pub struct LoadHandle<T> {
    state: UseStateHandle<Load<T>>,
    retry: Callback<()>,
}

// By hand: cloning the handle does not clone `T`.
impl<T> Clone for LoadHandle<T> {
    fn clone(&self) -> Self {
        LoadHandle { state: self.state.clone(), retry: self.retry.clone() }
    }
}

impl<T: 'static> LoadHandle<T> {
    pub fn state(&self) -> &Load<T> {
        &self.state
    }

    /// Shows `value` as loaded.
    pub fn set(&self, value: T) {
        self.state.set(Load::Ready(Rc::new(value)));
    }

    /// Loads again.
    pub fn retry(&self) -> Callback<()> {
        self.retry.clone()
    }

    /// The loaded thing as `ready` renders it; until then a progress line reading `loading`, or
    /// what failed with "Try again".
    pub fn view(&self, loading: &'static str, ready: impl FnOnce(&Rc<T>) -> Html) -> Html {
        match &*self.state {
            Load::Loading => html! { <Loading label={loading} /> },
            Load::Failed(error) => html! { <ErrorMessage message={error.message()} on_retry={self.retry()} /> },
            Load::Ready(value) => ready(value),
        }
    }
}

/// Runs `fetch(deps)` when the page mounts, whenever `deps` change and on retry. An answer that
/// arrives after a newer request started is dropped.
#[hook]
pub fn use_load<T, D, F, Fut>(deps: D, fetch: F) -> LoadHandle<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = use_state(|| Load::Loading);
    let attempt = use_state(|| 0u32);
    let latest = use_memo((), |_| Cell::new(0u32));
    {
        let state = state.clone();
        use_effect_with((deps, *attempt), move |(deps, _)| {
            let request = latest.get().wrapping_add(1);
            latest.set(request);
            state.set(Load::Loading);
            let answer = fetch(deps.clone());
            yew::platform::spawn_local(async move {
                let loaded = match answer.await {
                    Ok(value) => Load::Ready(Rc::new(value)),
                    Err(error) => Load::Failed(error),
                };
                if latest.get() == request {
                    state.set(loaded);
                }
            });
        });
    }
    let retry = use_callback(attempt.clone(), |(), attempt| attempt.set(**attempt + 1));
    LoadHandle { state, retry }
}
