//! A list read from the server a page at a time: the first page when the page mounts or its query
//! changes, the next one from the cursor the last ended at when the person asks for more.

use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use crate::api::ApiError;
use crate::components::{ErrorMessage, Loading};

/// The pages read so far, and whether one is on its way.
#[derive(Debug, PartialEq)]
pub struct Paged<T> {
    pub items: Rc<Vec<Rc<T>>>,
    pub next_cursor: Option<String>,
    /// Bumped whenever the list is read again from its start; answers to older requests are
    /// dropped.
    pub request: u32,
    pub loading: bool,
    pub error: Option<String>,
}

// By hand: the items are shared, so `T` need not be `Clone` (or `Default`).
impl<T> Clone for Paged<T> {
    fn clone(&self) -> Self {
        Paged {
            items: Rc::clone(&self.items),
            next_cursor: self.next_cursor.clone(),
            request: self.request,
            loading: self.loading,
            error: self.error.clone(),
        }
    }
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged { items: Rc::default(), next_cursor: None, request: 0, loading: false, error: None }
    }
}

pub enum PageAction<T> {
    /// Read again from the first page (the query changed, or the first page failed).
    Reload,
    /// Read the page after the last one.
    More,
    Loaded {
        request: u32,
        items: Vec<T>,
        next_cursor: Option<String>,
        append: bool,
    },
    Failed {
        request: u32,
        message: String,
    },
}

impl<T> Paged<T> {
    /// The state of a list whose first page is being read.
    pub fn first_page() -> Paged<T> {
        Paged { loading: true, ..Paged::default() }
    }

    /// Applies `action`; false when it is an answer to an older request, which changes nothing.
    pub fn apply(&mut self, action: PageAction<T>) -> bool {
        match action {
            PageAction::Reload => {
                self.request += 1;
                self.loading = true;
                self.error = None;
            }
            PageAction::More => {
                self.loading = true;
                self.error = None;
            }
            PageAction::Loaded { request, items, next_cursor, append } => {
                if request != self.request {
                    return false;
                }
                let fresh = items.into_iter().map(Rc::new);
                self.items =
                    Rc::new(if append { self.items.iter().cloned().chain(fresh).collect() } else { fresh.collect() });
                self.next_cursor = next_cursor;
                self.loading = false;
                self.error = None;
            }
            PageAction::Failed { request, message } => {
                if request != self.request {
                    return false;
                }
                self.loading = false;
                self.error = Some(message);
            }
        }
        true
    }

    /// What "Try again" does after a failure: the first page again, or the next one.
    pub fn retry(&self) -> PageAction<T> {
        if self.items.is_empty() { PageAction::Reload } else { PageAction::More }
    }

    /// What stands below the list: progress, the failure with "Try again", "Show more" while
    /// there is more, or `labels.empty` when there is nothing at all.
    pub fn footer(&self, labels: FooterLabels, on_more: Callback<()>, on_retry: Callback<()>) -> Html {
        if self.loading {
            html! { <Loading label={labels.loading} /> }
        } else if let Some(message) = &self.error {
            html! { <ErrorMessage message={message.clone()} {on_retry} /> }
        } else if self.next_cursor.is_some() {
            html! { <button type="button" class="secondary" onclick={move |_| on_more.emit(())}>{ labels.more }</button> }
        } else if self.items.is_empty() {
            html! { <p class="empty">{ labels.empty }</p> }
        } else {
            Html::default()
        }
    }
}

/// The words of a list's footer.
pub struct FooterLabels {
    pub loading: &'static str,
    pub more: String,
    pub empty: &'static str,
}

impl<T> Reducible for Paged<T> {
    type Action = PageAction<T>;

    fn reduce(self: Rc<Self>, action: PageAction<T>) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) { Rc::new(next) } else { self }
    }
}

/// What [`use_paged`] gives a page: the list, and callbacks for "Show more" and "Try again".
pub struct PagedHandle<T: 'static> {
    pub list: UseReducerHandle<Paged<T>>,
    pub on_more: Callback<()>,
    pub on_retry: Callback<()>,
}

/// A list that `fetch(cursor)` reads a page at a time (no cursor: the first page). `fetch` is
/// taken from the first render: it may not depend on props.
#[hook]
pub fn use_paged<T, F, Fut>(fetch: F) -> PagedHandle<T>
where
    T: 'static,
    F: Fn(Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ApiError>> + 'static,
{
    let list = use_reducer(Paged::first_page);
    let fetch = use_memo((), |_| fetch);
    // Reads the first page or, with `append`, the next; the answer goes to the request it was for.
    let load = {
        let (list, fetch) = (list.clone(), Rc::clone(&fetch));
        move |append: bool| {
            let (request, dispatcher) = (list.request, list.dispatcher());
            let answer = fetch(if append { list.next_cursor.clone() } else { None });
            yew::platform::spawn_local(async move {
                dispatcher.dispatch(match answer.await {
                    Ok((items, next_cursor)) => PageAction::Loaded { request, items, next_cursor, append },
                    Err(error) => PageAction::Failed { request, message: error.message() },
                });
            });
        }
    };
    {
        let load = load.clone();
        use_effect_with(list.request, move |_| load(false));
    }
    let on_more = {
        let (list, load) = (list.clone(), load.clone());
        Callback::from(move |()| {
            list.dispatch(PageAction::More);
            load(true);
        })
    };
    let on_retry = {
        let (list, load) = (list.clone(), load);
        Callback::from(move |()| match list.retry() {
            PageAction::More => {
                list.dispatch(PageAction::More);
                load(true);
            }
            first => list.dispatch(first),
        })
    };
    PagedHandle { list, on_more, on_retry }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(request: u32, items: &[u32], more: bool, append: bool) -> PageAction<u32> {
        PageAction::Loaded { request, items: items.to_vec(), next_cursor: more.then(|| "next".to_owned()), append }
    }

    fn items(list: &Paged<u32>) -> Vec<u32> {
        list.items.iter().map(|item| **item).collect()
    }

    #[test]
    fn the_first_page_replaces_the_list_and_the_next_is_appended() {
        let mut list = Paged::first_page();
        assert!(list.apply(loaded(0, &[1, 2], true, false)));
        assert_eq!((items(&list), list.loading, list.next_cursor.as_deref()), (vec![1, 2], false, Some("next")));
        list.apply(PageAction::More);
        assert!(list.loading);
        list.apply(loaded(0, &[3], false, true));
        assert_eq!((items(&list), list.next_cursor), (vec![1, 2, 3], None));
    }

    #[test]
    fn an_answer_to_an_older_request_is_dropped() {
        let mut list = Paged::first_page();
        list.apply(PageAction::Reload);
        assert!(!list.apply(loaded(0, &[1], false, false)), "the answer to the first query");
        assert!(!list.apply(PageAction::Failed { request: 0, message: "late".to_owned() }));
        assert_eq!((items(&list), list.loading, list.error.clone()), (vec![], true, None));
        assert!(list.apply(loaded(1, &[2], false, false)));
        assert_eq!(items(&list), [2]);
    }

    #[test]
    fn after_a_failure_try_again_reads_the_page_that_failed() {
        let mut list = Paged::first_page();
        list.apply(PageAction::Failed { request: 0, message: "The server cannot be reached.".to_owned() });
        assert_eq!((list.loading, list.error.as_deref()), (false, Some("The server cannot be reached.")));
        assert!(matches!(list.retry(), PageAction::Reload));
        list.apply(PageAction::Reload);
        assert_eq!((list.loading, list.error.as_deref()), (true, None));
        list.apply(loaded(1, &[1], true, false));
        list.apply(PageAction::More);
        list.apply(PageAction::Failed { request: 1, message: "down".to_owned() });
        assert!(matches!(list.retry(), PageAction::More), "the items read so far stay");
        assert_eq!(items(&list), [1]);
    }
}
