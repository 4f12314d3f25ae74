//! Callbacks that pages build over and over, built once here.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A callback that dispatches to a reducer the action `action` makes of its argument.
pub fn dispatching<R, IN>(
    dispatcher: &UseReducerDispatcher<R>,
    action: impl Fn(IN) -> R::Action + 'static,
) -> Callback<IN>
where
    R: Reducible + 'static,
    IN: 'static,
{
    let dispatcher = dispatcher.clone();
    Callback::from(move |input| dispatcher.dispatch(action(input)))
}

/// An `oninput` that keeps a text field's value in `state`.
pub fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| state.set(event.target_unchecked_into::<HtmlInputElement>().value()))
}
