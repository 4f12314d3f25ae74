use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub title: AttrValue,
    pub message: AttrValue,
    /// The confirming button's text, e.g. "Revoke invitation".
    pub confirm_label: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// A modal question; the safe answer has the focus, Escape cancels.
#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    let cancel_ref = use_node_ref();
    {
        let cancel_ref = cancel_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = cancel_ref.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                on_cancel.emit(());
            }
        })
    };
    let (on_confirm, on_cancel) = (props.on_confirm.clone(), props.on_cancel.clone());
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="dialog-title"
                aria-describedby="dialog-message" {onkeydown}>
                <h2 id="dialog-title">{ &props.title }</h2>
                <p id="dialog-message">{ &props.message }</p>
                <div class="dialog-buttons">
                    <button type="button" class="secondary" ref={cancel_ref} onclick={move |_| on_cancel.emit(())}>
                        { "Cancel" }
                    </button>
                    <button type="button" class="danger" onclick={move |_| on_confirm.emit(())}>
                        { &props.confirm_label }
                    </button>
                </div>
            </div>
        </div>
    }
}
