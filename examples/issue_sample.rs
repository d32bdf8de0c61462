//! Prints a credential and a presentation issued in anon-identity's shape, as JSON, for
//! `scripts/fixtures/verify-ours.mjs` to check with anon-identity itself.

use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::keys::KeyPair;
use serde_json::json;

fn main() -> Result<(), credcore::Error> {
    let issuer = KeyPair::generate()?;
    let holder = KeyPair::generate()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let credential = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://example.com/schemas/BasicProfile"],
        "type": ["VerifiableCredential", "BasicProfileCredential"],
        "credentialSubject": {"id": holder.did(), "givenName": "Ada", "dateOfBirth": "1990-01-15"}
    });
    let issued = issue_credential(&credential, &issuer, IssueFormat::AnonIdentity, Some(3600), now)?;
    let presentation = create_presentation(
        std::slice::from_ref(&issued),
        &holder,
        Some("n-1"),
        Some("https://rp.example"),
        PresentationFormat::AnonIdentity,
        now,
    )?;
    let out = json!({"issuerDid": issuer.did(), "holderDid": holder.did(), "credential": issued, "presentation": presentation});
    println!("{out}");
    Ok(())
}
