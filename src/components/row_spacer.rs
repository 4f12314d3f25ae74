use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RowSpacerProps {
    /// Height in pixels: the rows it stands for.
    pub px: f64,
    pub columns: usize,
}

/// An empty table row as tall as the rows a windowed list does not render. The height is set
/// through the CSSOM: the Content-Security-Policy (`style-src 'self'`) blocks style attributes.
#[component]
pub fn RowSpacer(props: &RowSpacerProps) -> Html {
    let cell = use_node_ref();
    {
        let cell = cell.clone();
        use_effect_with(props.px.to_bits(), move |px| {
            if let Some(cell) = cell.cast::<HtmlElement>() {
                let _ = cell.style().set_property("height", &format!("{}px", f64::from_bits(*px)));
            }
        });
    }
    html! {
        <tr class="spacer" aria-hidden="true">
            <td ref={cell} colspan={props.columns.to_string()}></td>
        </tr>
    }
}
