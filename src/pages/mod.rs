//! One page per file.

mod import;
mod not_found;
mod portfolio;
mod project;
mod weekly;
mod review;
mod settings;

pub use import::ImportPage;
pub use not_found::NotFound;
pub use portfolio::PortfolioPage;
pub use project::ProjectPage;
pub use weekly::WeeklyPage;
pub use review::ReviewPage;
pub use settings::SettingsPage;
