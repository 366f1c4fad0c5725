//! One page per file.

mod import;
mod lazy;
mod not_found;
mod portfolio;
mod project;
mod review;
mod settings;
mod weekly;

pub use import::ImportPage;
pub use lazy::{ImportRoute, ReviewRoute, SettingsRoute};
pub use not_found::NotFound;
pub use portfolio::PortfolioPage;
pub use project::ProjectPage;
pub use review::ReviewPage;
pub use settings::SettingsPage;
pub use weekly::WeeklyPage;
