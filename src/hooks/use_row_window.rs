//! Rendering only the rows of a long list that are on screen, plus a margin.

use std::ops::Range;

use web_sys::Element;
use yew::prelude::*;

/// Lists up to this long are rendered whole; longer ones only around what is visible.
pub const WINDOW_FROM: usize = 150;
/// The height of a row in read mode in a windowed list (the stylesheet keeps rows at least this
/// tall, so the rendered rows always cover the visible part).
pub const ROW_PX: usize = 56;
/// Rows rendered above and below the visible part, so fast scrolling rarely shows a gap.
const MARGIN: usize = 12;
/// The first row moves in steps of this many, so scrolling re-renders every few rows only.
const STEP: usize = 6;

/// Which rows of a list of `len` to render, and the space the others take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowWindow {
    /// Whether the list is long enough to be windowed at all.
    pub windowed: bool,
    pub rows: Range<usize>,
    /// Pixels above and below the rendered rows that stand for the rows not rendered.
    pub above_px: usize,
    pub below_px: usize,
}

impl RowWindow {
    /// The window for a list of `len` rows scrolled to `scroll_px`, in a viewport of `viewport_px`.
    pub fn at(len: usize, scroll_px: usize, viewport_px: usize) -> RowWindow {
        if len <= WINDOW_FROM {
            return RowWindow { windowed: false, rows: 0..len, above_px: 0, below_px: 0 };
        }
        let top = scroll_px / ROW_PX;
        let start = (top - top % STEP).saturating_sub(MARGIN).min(len);
        let end = (top + viewport_px.div_ceil(ROW_PX) + STEP + MARGIN).min(len).max(start);
        RowWindow { windowed: true, rows: start..end, above_px: start * ROW_PX, below_px: (len - end) * ROW_PX }
    }
}

/// The rows of a list of `len` to render in a scrolling container, and the `onscroll` handler to
/// put on that container.
#[hook]
pub fn use_row_window(len: usize) -> (RowWindow, Callback<Event>) {
    // Only the step the scroll position is in matters: scrolling within it does not re-render.
    let scroll_step = use_state_eq(|| 0usize);
    let onscroll = {
        let scroll_step = scroll_step.clone();
        Callback::from(move |event: Event| {
            let top = event.target_unchecked_into::<Element>().scroll_top().max(0) as usize;
            scroll_step.set(top / (ROW_PX * STEP));
        })
    };
    let viewport_px = web_sys::window()
        .and_then(|window| window.inner_height().ok())
        .and_then(|height| height.as_f64())
        .map_or(900, |height| height as usize);
    (RowWindow::at(len, *scroll_step * ROW_PX * STEP, viewport_px), onscroll)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_is_rendered_whole() {
        let window = RowWindow::at(WINDOW_FROM, 5_000, 800);
        assert_eq!(window, RowWindow { windowed: false, rows: 0..WINDOW_FROM, above_px: 0, below_px: 0 });
    }

    #[test]
    fn a_long_list_at_the_top_renders_the_visible_rows_and_a_margin() {
        let window = RowWindow::at(10_000, 0, 800);
        assert!(window.windowed);
        assert_eq!(window.rows.start, 0);
        assert!(window.rows.end * ROW_PX >= 800 + MARGIN * ROW_PX, "{window:?}");
        assert!(window.rows.len() < 60, "{window:?}");
        assert_eq!(window.below_px, (10_000 - window.rows.end) * ROW_PX);
    }

    #[test]
    fn scrolled_down_the_visible_rows_are_rendered_and_the_space_adds_up() {
        for scroll_px in [0, 1, 55, 56, 5_000, 123_456, 10_000 * ROW_PX] {
            let window = RowWindow::at(10_000, scroll_px, 700);
            let first_visible = (scroll_px / ROW_PX).min(10_000);
            let last_visible = ((scroll_px + 700) / ROW_PX).min(10_000);
            assert!(window.rows.start <= first_visible, "{scroll_px}: {window:?}");
            assert!(window.rows.end >= last_visible, "{scroll_px}: {window:?}");
            assert_eq!(window.above_px + window.rows.len() * ROW_PX + window.below_px, 10_000 * ROW_PX);
        }
    }
}
