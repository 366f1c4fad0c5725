//! The rarely opened pages as lazy routes: their code is split out of the
//! main wasm (`cargo leptos build --split`) and fetched the first time one of
//! them is shown.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `/projects/:id/reviews/:review_id`.
pub struct ReviewRoute;

#[lazy_route]
impl LazyRoute for ReviewRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let ReviewRoute = this;
        view! { <super::ReviewPage /> }.into_any()
    }
}

/// `/settings`.
pub struct SettingsRoute;

#[lazy_route]
impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let SettingsRoute = this;
        view! { <super::SettingsPage /> }.into_any()
    }
}

/// `/import`.
pub struct ImportRoute;

#[lazy_route]
impl LazyRoute for ImportRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let ImportRoute = this;
        view! { <super::ImportPage /> }.into_any()
    }
}
