//! Rendering only the rows of a long list that are on screen, plus a margin.
//!
//! Rows differ in height (a pending invitation's status takes two lines, buttons wrap on a narrow
//! screen, the row in edit mode is tall), so every rendered row is measured after rendering and
//! its height kept by key; rows never rendered count as [`ESTIMATED_ROW_PX`]. The space of the
//! rows not rendered is the sum of those heights, so scrolling does not make the content jump; the
//! browser's scroll anchoring absorbs the difference when an estimated row is rendered for the
//! first time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// Lists up to this long are rendered whole; longer ones only around what is visible.
pub const WINDOW_FROM: usize = 150;
/// The height a row is taken to have before it is rendered (the stylesheet keeps rows at least
/// this tall, so the rendered rows always cover the visible part).
pub const ESTIMATED_ROW_PX: f64 = 56.0;
/// Pixels rendered above and below the visible part, so fast scrolling rarely shows a gap.
const MARGIN_PX: f64 = 600.0;
/// The scroll position is followed in steps of this many pixels: scrolling within a step does
/// not re-render.
const STEP_PX: f64 = 150.0;

/// Which rows of a list to render, and the space the others take.
#[derive(Debug, Clone, PartialEq)]
pub struct RowWindow {
    /// Whether the list is long enough to be windowed at all.
    pub windowed: bool,
    pub rows: Range<usize>,
    /// Pixels above and below the rendered rows that stand for the rows not rendered.
    pub above_px: f64,
    pub below_px: f64,
}

impl RowWindow {
    /// The window for `len` rows of the given heights scrolled to `scroll_px`, in a viewport of
    /// `viewport_px`.
    pub fn at(len: usize, height: impl Fn(usize) -> f64, scroll_px: f64, viewport_px: f64) -> RowWindow {
        if len <= WINDOW_FROM {
            return RowWindow { windowed: false, rows: 0..len, above_px: 0.0, below_px: 0.0 };
        }
        let total: f64 = (0..len).map(&height).sum();
        // The browser clamps the scroll position; heights measured since may have moved the end.
        let scroll_px = scroll_px.min((total - viewport_px).max(0.0));
        let (from, to) = (scroll_px - MARGIN_PX, scroll_px + viewport_px + STEP_PX + MARGIN_PX);
        let (mut top, mut start, mut above_px, mut end, mut end_top) = (0.0, len, total, len, total);
        for index in 0..len {
            if top >= to {
                (end, end_top) = (index, top);
                break;
            }
            let bottom = top + height(index);
            if start == len && bottom > from {
                (start, above_px) = (index, top);
            }
            top = bottom;
        }
        RowWindow { windowed: true, rows: start.min(end)..end, above_px, below_px: total - end_top }
    }
}

/// What a windowed list needs: the rows to render, the `onscroll` handler of its scrolling box,
/// and the ref of its `<tbody>`, whose rows are measured after every render.
pub struct RowWindowHandle {
    pub window: RowWindow,
    pub onscroll: Callback<Event>,
    pub body: NodeRef,
}

/// The rows of the list whose row keys are `keys` to render in a scrolling box.
#[hook]
pub fn use_row_window(keys: Rc<Vec<i64>>) -> RowWindowHandle {
    let step = use_state_eq(|| 0i64);
    let heights = use_mut_ref(HashMap::<i64, f64>::new);
    let body = use_node_ref();
    let onscroll = {
        let step = step.clone();
        Callback::from(move |event: Event| {
            let top = f64::from(event.target_unchecked_into::<Element>().scroll_top().max(0));
            step.set((top / STEP_PX) as i64)
        })
    };
    let viewport_px = web_sys::window()
        .and_then(|window| window.inner_height().ok())
        .and_then(|height| height.as_f64())
        .unwrap_or(900.0);
    let window = {
        let heights = heights.borrow();
        let height = |index: usize| heights.get(&keys[index]).copied().unwrap_or(ESTIMATED_ROW_PX);
        RowWindow::at(keys.len(), height, *step as f64 * STEP_PX, viewport_px)
    };
    {
        let (body, rows, windowed) = (body.clone(), window.rows.clone(), window.windowed);
        use_effect(move || {
            if windowed {
                measure(&body, &keys[rows], &heights);
            }
        });
    }
    RowWindowHandle { window, onscroll, body }
}

/// Keeps the height of each rendered row (the spacer rows are skipped).
fn measure(body: &NodeRef, keys: &[i64], heights: &Rc<RefCell<HashMap<i64, f64>>>) {
    let Some(body) = body.cast::<Element>() else { return };
    let rows = body.children();
    let rendered = (0..rows.length()).filter_map(|i| rows.item(i)).filter(|row| !row.class_list().contains("spacer"));
    let mut heights = heights.borrow_mut();
    for (key, row) in keys.iter().zip(rendered) {
        if let Ok(row) = row.dyn_into::<Element>() {
            heights.insert(*key, row.get_bounding_client_rect().height());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uniform(_: usize) -> f64 {
        ESTIMATED_ROW_PX
    }

    #[test]
    fn a_short_list_is_rendered_whole() {
        let window = RowWindow::at(WINDOW_FROM, uniform, 5_000.0, 800.0);
        assert_eq!(window, RowWindow { windowed: false, rows: 0..WINDOW_FROM, above_px: 0.0, below_px: 0.0 });
    }

    #[test]
    fn a_long_list_at_the_top_renders_the_visible_rows_and_a_margin() {
        let window = RowWindow::at(10_000, uniform, 0.0, 800.0);
        assert!(window.windowed);
        assert_eq!(window.rows.start, 0);
        assert!(window.rows.end as f64 * ESTIMATED_ROW_PX >= 800.0 + MARGIN_PX, "{window:?}");
        assert!(window.rows.len() < 60, "{window:?}");
        assert_eq!(window.below_px, (10_000 - window.rows.end) as f64 * ESTIMATED_ROW_PX);
    }

    #[test]
    fn scrolled_anywhere_the_visible_rows_are_rendered_and_the_space_adds_up() {
        // Every third row is twice as tall, as a pending invitation's may be.
        let height = |index: usize| if index.is_multiple_of(3) { 2.0 * ESTIMATED_ROW_PX } else { ESTIMATED_ROW_PX };
        let total: f64 = (0..10_000).map(height).sum();
        for scroll_px in [0.0, 1.0, 55.0, 56.0, 5_000.0, 123_456.0, total - 700.0, total] {
            let window = RowWindow::at(10_000, height, scroll_px, 700.0);
            let rendered: f64 = window.rows.clone().map(height).sum();
            assert_eq!(window.above_px + rendered + window.below_px, total, "{scroll_px}: {window:?}");
            assert!(window.above_px <= scroll_px, "{scroll_px}: {window:?}");
            assert!(window.above_px + rendered >= (scroll_px + 700.0).min(total), "{scroll_px}: {window:?}");
            assert!(window.rows.len() < 60, "{scroll_px}: {window:?}");
        }
    }

    #[test]
    fn scrolled_past_the_end_the_last_rows_are_rendered() {
        let window = RowWindow::at(1_000, uniform, 1e9, 700.0);
        assert_eq!(window.rows.end, 1_000);
        assert!(!window.rows.is_empty());
        assert_eq!(window.below_px, 0.0);
    }
}
