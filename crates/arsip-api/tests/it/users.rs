//! Users managed by the admin over HTTP (issue 13): a disabled user's open
//! session ends at once and they cannot log in, the archive always keeps an
//! active admin, and refusals are clear in the caller's language. An archive
//! of its own, so these changes to users touch no other test's logins.

use super::send_to;
use arsip_api::{router, Mode};
use arsip_core::{Archive, Role};
use axum::http::StatusCode;
use serde_json::{json, Value};

const PASSWORD: &str = "kata-sandi-uji";

struct Office {
    _dir: tempfile::TempDir,
    app: axum::Router,
    runtime: tokio::runtime::Runtime,
}

/// An archive whose one user is the admin "admin1".
fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("a"), "KPU Kota Bogor", "32.71").unwrap();
    archive
        .set_user("admin1", Role::Admin, PASSWORD, "uji")
        .unwrap();
    Office {
        app: router(std::sync::Arc::new(archive), Mode::Office),
        _dir: dir,
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
    }
}

impl Office {
    /// (status, JSON body) of a request, in `lang` when given.
    fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
        lang: Option<&str>,
    ) -> (StatusCode, Value) {
        let reply = send_to(
            &self.runtime,
            &self.app,
            super::request(method, uri, token, body, lang),
        );
        (
            reply.status,
            serde_json::from_slice(&reply.body).unwrap_or(Value::Null),
        )
    }

    fn login(&self, name: &str, password: &str) -> Result<String, (StatusCode, Value)> {
        let body = json!({"name": name, "password": password});
        match self.call("POST", "/api/login", None, Some(body), None) {
            (StatusCode::OK, v) => Ok(v["token"].as_str().unwrap().to_string()),
            other => Err(other),
        }
    }

    fn patch(&self, token: &str, name: &str, body: Value) -> (StatusCode, Value) {
        let uri = format!("/api/users/{name}");
        self.call("PATCH", &uri, Some(token), Some(body), None)
    }
}

fn code(reply: &(StatusCode, Value)) -> (u16, String) {
    let code = reply.1["error"]["code"].as_str().unwrap_or("").to_string();
    (reply.0.as_u16(), code)
}

#[test]
fn a_disabled_users_session_ends_at_once_and_they_cannot_log_in() {
    let o = office();
    let admin = o.login("admin1", PASSWORD).unwrap();
    let body = json!({"name": "tamu1", "role": "sekretariat", "password": PASSWORD});
    let (status, user) = o.call("POST", "/api/users", Some(&admin), Some(body), None);
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["role"], "sekretariat");
    assert_eq!(user["disabled"], false);

    let tamu = o.login("tamu1", PASSWORD).unwrap();
    let (status, me) = o.call("GET", "/api/me", Some(&tamu), None, None);
    assert_eq!(
        (status, me["user"].as_str()),
        (StatusCode::OK, Some("tamu1"))
    );
    assert_eq!(me["can_manage_users"], false);

    let (status, user) = o.patch(&admin, "tamu1", json!({"disabled": true}));
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["disabled"], true);
    // The session they hold is no longer theirs, and never the public's.
    let r = o.call("GET", "/api/me", Some(&tamu), None, None);
    assert_eq!(code(&r), (401, "not_logged_in".into()));
    let r = o.call("GET", "/api/search?q=", Some(&tamu), None, None);
    assert_eq!(code(&r), (401, "not_logged_in".into()));
    // Logging in again says only what any wrong login says.
    let refused = o.login("tamu1", PASSWORD).unwrap_err();
    assert_eq!(code(&refused), (401, "wrong_password".into()));

    let (status, _) = o.patch(&admin, "tamu1", json!({"disabled": false}));
    assert_eq!(status, StatusCode::OK);
    assert!(o.login("tamu1", PASSWORD).is_ok());
    let (_, list) = o.call("GET", "/api/users", Some(&admin), None, None);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin1", "tamu1"]);
    assert!(!list.to_string().contains("argon2"), "{list}");
}

#[test]
fn the_last_admin_cannot_be_disabled_or_demoted() {
    let o = office();
    let admin = o.login("admin1", PASSWORD).unwrap();
    let r = o.patch(&admin, "admin1", json!({"disabled": true}));
    assert_eq!(code(&r), (409, "last_admin".into()));
    assert!(
        r.1["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Ini admin aktif terakhir"),
        "{}",
        r.1
    );
    let uri = "/api/users/admin1";
    let body = json!({"role": "arsiparis"});
    let r = o.call("PATCH", uri, Some(&admin), Some(body), Some("en"));
    assert_eq!(code(&r), (409, "last_admin".into()));
    assert!(
        r.1["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("This is the last active admin"),
        "{}",
        r.1
    );
    // Nothing changed: the admin's session still works.
    let (status, me) = o.call("GET", "/api/me", Some(&admin), None, None);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (me["role"].as_str(), me["can_manage_users"].as_bool()),
        (Some("admin"), Some(true))
    );

    // With a second admin, the first still cannot step down by herself.
    let body = json!({"name": "admin2", "role": "admin", "password": PASSWORD});
    let (status, _) = o.call("POST", "/api/users", Some(&admin), Some(body), None);
    assert_eq!(status, StatusCode::OK);
    let r = o.patch(&admin, "admin1", json!({"disabled": true}));
    assert_eq!(code(&r), (403, "own_account".into()));
    let admin2 = o.login("admin2", PASSWORD).unwrap();
    let (status, _) = o.patch(&admin2, "admin1", json!({"role": "arsiparis"}));
    assert_eq!(status, StatusCode::OK);
    // admin1's session ended with her role; admin2 is now the last admin.
    let r = o.call("GET", "/api/me", Some(&admin), None, None);
    assert_eq!(code(&r), (401, "not_logged_in".into()));
    let r = o.patch(&admin2, "admin2", json!({"disabled": true}));
    assert_eq!(code(&r), (409, "last_admin".into()));
}

#[test]
fn an_admins_mistakes_are_refused_clearly_and_change_nothing() {
    let o = office();
    let admin = o.login("admin1", PASSWORD).unwrap();
    let add = |body: Value| code(&o.call("POST", "/api/users", Some(&admin), Some(body), None));
    let ok = json!({"name": "arsip9", "role": "arsiparis", "password": PASSWORD});
    assert_eq!(add(ok.clone()).0, 200);
    assert_eq!(add(ok), (409, "user_exists".into()));
    let short = json!({"name": "arsip8", "role": "arsiparis", "password": "pendek"});
    assert_eq!(add(short.clone()), (400, "password_too_short".into()));
    // Said once, with nothing tacked on.
    let r = o.call("POST", "/api/users", Some(&admin), Some(short), None);
    assert_eq!(
        r.1["error"]["message"],
        "Kata sandi terlalu pendek (paling sedikit 8 karakter)"
    );
    let role = json!({"name": "arsip8", "role": "raja", "password": PASSWORD});
    // A body that is not a user at all is axum's rejection (422).
    assert_eq!(add(role), (422, "invalid_input".into()));
    let blank = json!({"name": "  ", "role": "arsiparis", "password": PASSWORD});
    assert_eq!(add(blank), (400, "invalid_input".into()));
    let r = o.patch(&admin, "tidak-ada", json!({"disabled": true}));
    assert_eq!(code(&r), (404, "not_found".into()));
    let r = o.patch(
        &admin,
        "arsip9",
        json!({"password": "pendek", "role": "admin"}),
    );
    assert_eq!(code(&r), (400, "password_too_short".into()));
    let r = o.patch(&admin, "arsip9", json!({"hash": "x"}));
    assert_eq!(code(&r), (422, "invalid_input".into()));
    let (_, list) = o.call("GET", "/api/users", Some(&admin), None, None);
    assert_eq!(
        list,
        json!([
            {"name": "admin1", "role": "admin", "disabled": false, "created_at": list[0]["created_at"]},
            {"name": "arsip9", "role": "arsiparis", "disabled": false, "created_at": list[1]["created_at"]},
        ])
    );
    // Every change was audited, without a password.
    let (_, audit) = o.call("GET", "/api/audit?limit=100", Some(&admin), None, None);
    assert!(audit.to_string().contains("user.add"));
    assert!(!audit.to_string().contains(PASSWORD), "{audit}");
}
