use std::rc::Rc;

use useradmin_api::Me;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::api::{self, ApiError};

/// Who is signed in, as far as the browser knows.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Asking the server.
    Loading,
    SignedOut,
    SignedIn(Rc<Me>),
    /// The server could not be asked; the message says why.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub state: SessionState,
    /// Bumped to ask the server again.
    pub generation: u32,
}

pub enum SessionAction {
    SignedIn(Me),
    SignedOut,
    Failed(String),
    Reload,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let (state, generation) = match action {
            SessionAction::SignedIn(me) => (SessionState::SignedIn(Rc::new(me)), self.generation),
            SessionAction::SignedOut if self.state == SessionState::SignedOut => return self,
            SessionAction::SignedOut => (SessionState::SignedOut, self.generation),
            SessionAction::Failed(message) => (SessionState::Failed(message), self.generation),
            SessionAction::Reload => (SessionState::Loading, self.generation + 1),
        };
        Rc::new(Session { state, generation })
    }
}

impl Session {
    pub fn me(&self) -> Option<Rc<Me>> {
        match &self.state {
            SessionState::SignedIn(me) => Some(Rc::clone(me)),
            _ => None,
        }
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    #[prop_or_default]
    pub children: Html,
    /// A session to start with instead of asking the server (component tests).
    #[prop_or_default]
    pub initial: Option<Rc<Me>>,
}

/// Holds the session for everything inside it, asking the server `GET /me` at start.
#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let initial = props.initial.clone();
    let session = use_reducer(move || Session {
        state: initial.map_or(SessionState::Loading, SessionState::SignedIn),
        generation: 0,
    });
    {
        let session = session.clone();
        use_effect_with(session.generation, move |_| {
            if session.state == SessionState::Loading {
                yew::platform::spawn_local(async move {
                    match api::fetch_me().await {
                        Ok(me) => session.dispatch(SessionAction::SignedIn(me)),
                        Err(ApiError::Unauthorized) => session.dispatch(SessionAction::SignedOut),
                        Err(error) => session.dispatch(SessionAction::Failed(error.message())),
                    }
                });
            }
        });
    }
    {
        // Any request answered 401 signs the browser out (see `api::SESSION_ENDED`).
        let session = session.dispatcher();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || session.dispatch(SessionAction::SignedOut));
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(api::SESSION_ENDED, listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(window) = &window {
                    let _ = window
                        .remove_event_listener_with_callback(api::SESSION_ENDED, listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    html! {
        <ContextProvider<SessionHandle> context={session}>
            { props.children.clone() }
        </ContextProvider<SessionHandle>>
    }
}

/// The session of the nearest [`SessionProvider`].
#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("a SessionProvider above every page")
}
