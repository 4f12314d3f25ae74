//! The password reset mails: the link to set a new password, and the notice that it changed.

use useradmin_api::Timestamp;

use crate::domain::Token;
use crate::mail::Outgoing;
use crate::state::AppState;

/// `<public-url>/reset-password/<token>`: the reset page of the app.
fn link(public_url: &str, token: &Token) -> String {
    format!("{public_url}/reset-password/{}", token.expose())
}

/// Queues the mail with the reset link of `token` in the caller's transaction.
pub async fn enqueue_link(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    to: &str,
    token: &Token,
    expires: Timestamp,
) -> anyhow::Result<()> {
    let link = link(&state.public_url, token);
    let expires = expires.to_string();
    let body = format!(
        "Hello,\n\nSomeone (hopefully you) asked to reset the password of your account in the user \
         administration of the billing platform.\n\nSet a new password here:\n\n{link}\n\n\
         The link works once, until {date} {time} UTC. If you did not ask for it, ignore this mail: \
         your password stays as it is.\n",
        date = &expires[..10],
        time = &expires[11..16],
    );
    state.mailer.enqueue(&mut **tx, Outgoing { to, subject: "Reset your useradmin password", body: &body }).await
}

/// Queues the notice that the password of `to` was changed, so that an owner who did not do it
/// learns of it.
pub async fn enqueue_changed(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    to: &str,
) -> anyhow::Result<()> {
    let body = "Hello,\n\nThe password of your account in the user administration of the billing platform \
                was changed with a reset link, and every session was signed out.\n\n\
                If you did not do this, tell an administrator at once.\n";
    state.mailer.enqueue(&mut **tx, Outgoing { to, subject: "Your useradmin password was changed", body }).await
}
