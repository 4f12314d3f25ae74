//! The OpenAPI document describes every endpoint, states the limits the server enforces (a
//! probe just inside and just outside each bound gets the same verdict from both), and every
//! parameter answers nasty values with a documented status and error body.

use regex::Regex;
use reqwest::StatusCode;
use serde_json::{Value, json};
use useradmin_rights::RoleSet;

use useradmin_test_support::{PASSWORD, TestApp};

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint_and_the_role_keys() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/session", &["post", "delete"][..]),
        ("/api/v1/me", &["get", "patch"]),
        ("/api/v1/me/password", &["put"]),
        ("/api/v1/session/password", &["post"]),
        ("/api/v1/rights", &["get"]),
        ("/api/v1/users", &["get", "post"]),
        ("/api/v1/users/{id}", &["patch", "delete"]),
        ("/api/v1/users/{id}/invitation", &["post"]),
        ("/api/v1/users/{id}/deactivate", &["post"]),
        ("/api/v1/users/{id}/reactivate", &["post"]),
        ("/api/v1/invitations/{token}", &["get"]),
        ("/api/v1/invitations/{token}/accept", &["post"]),
        ("/api/v1/password-resets", &["post"]),
        ("/api/v1/password-resets/{token}", &["get", "post"]),
        ("/api/v1/areas/{area}", &["get", "put"]),
        ("/api/v1/audit-log", &["get"]),
    ] {
        for method in methods {
            assert!(paths[path].get(*method).is_some(), "{method} {path} is not documented");
        }
    }
    let text = doc.to_string();
    assert!(text.contains("read_only_operations") && text.contains("handling_fees"));
    let area = &doc["paths"]["/api/v1/areas/{area}"]["get"]["parameters"][0]["schema"];
    assert!(area["enum"].as_array().unwrap().contains(&json!("handling_fees")), "{area}");
}

#[tokio::test]
async fn a_created_user_links_to_its_edit_resend_and_removal() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let links = &doc["paths"]["/api/v1/users"]["post"]["responses"]["201"]["links"];
    let targets: Vec<&str> =
        links.as_object().unwrap().values().map(|link| link["operationId"].as_str().unwrap()).collect();
    assert_eq!(targets.len(), 3);
    for target in ["update_user", "resend_invitation", "remove_user"] {
        assert!(targets.contains(&target), "no link to {target}: {links}");
    }
    let edit = links.as_object().unwrap().values().find(|link| link["operationId"] == "update_user").unwrap();
    assert_eq!(edit["parameters"]["id"], "$response.body#/id");
    assert_eq!(edit["requestBody"]["version"], "$response.body#/version");
    let ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    for target in targets {
        assert!(ids.contains(&target), "the link target {target} is no operation");
    }
}

/// The schema of the JSON body of `method path`, with a `$ref` followed.
fn body_schema<'d>(doc: &'d Value, method: &str, path: &str) -> &'d Value {
    let schema = &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    match schema["$ref"].as_str() {
        Some(reference) => &doc["components"]["schemas"][reference.rsplit('/').next().unwrap()],
        None => schema,
    }
}

/// Whether `value` meets the constraints the document states in `schema` that this test
/// probes: types, lengths (in characters, as JSON Schema counts them), patterns, minimums,
/// property counts, names and values.
fn schema_accepts(schema: &Value, value: &Value) -> bool {
    let limit = |key: &str| schema[key].as_u64().map(|n| n as usize);
    match value {
        Value::String(text) => {
            let chars = text.chars().count();
            schema["type"] == "string"
                && limit("minLength").is_none_or(|min| chars >= min)
                && limit("maxLength").is_none_or(|max| chars <= max)
                && schema["pattern"].as_str().is_none_or(|pattern| Regex::new(pattern).unwrap().is_match(text))
        }
        Value::Number(number) => {
            schema["type"] == "integer" && schema["minimum"].as_i64().is_none_or(|min| number.as_i64().unwrap() >= min)
        }
        Value::Object(fields) => {
            schema["type"] == "object"
                && limit("maxProperties").is_none_or(|max| fields.len() <= max)
                && fields.iter().all(|(name, value)| {
                    schema_accepts(&schema["propertyNames"], &Value::String(name.clone()))
                        && schema_accepts(&schema["additionalProperties"], value)
                })
        }
        _ => false,
    }
}

/// Strings of `fill` just inside and just outside the length bounds of `schema`.
fn lengths_around(schema: &Value, fill: char) -> Vec<String> {
    let mut lengths = Vec::new();
    if let Some(min) = schema["minLength"].as_u64() {
        lengths.extend([min.saturating_sub(1), min]);
    }
    let max = schema["maxLength"].as_u64().expect("a maximum length is documented");
    lengths.extend([max, max + 1]);
    lengths.into_iter().map(|n| fill.to_string().repeat(n as usize)).collect()
}

/// A deliverable-looking address of exactly `length` characters (at least 10): a long local
/// part, then domain labels of at most 63 characters, `tag` making it unique.
fn address_of_length(length: usize, tag: char) -> String {
    let local = format!("{tag}{}", "a".repeat(length.min(74) - 11));
    let mut rest = length - local.len() - 1 - ".com".len();
    let mut labels = Vec::new();
    while rest > 0 {
        // A label never leaves a remainder of one: that would be a dot without a label.
        let take = if rest > 63 && rest - 63 < 2 { 61 } else { rest.min(63) };
        labels.push("b".repeat(take));
        rest -= take;
        rest = rest.saturating_sub(1);
    }
    let address = format!("{local}@{}.com", labels.join("."));
    assert_eq!(address.chars().count(), length);
    address
}

/// Sends one probe and compares the server's verdict with the document's.
async fn probe(request: reqwest::RequestBuilder, schema: &Value, value: &Value, what: &str) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let accepted = status.is_success();
    let documented = schema_accepts(schema, value);
    let shown: String = value.to_string().chars().take(60).collect();
    assert_eq!(
        accepted,
        documented,
        "{what} = {shown}… ({} characters): the server answered {status}, the schema {}",
        value.to_string().len(),
        if documented { "accepts it" } else { "refuses it" }
    );
}

#[tokio::test]
async fn values_just_inside_each_documented_bound_are_accepted_and_just_outside_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();

    let email = &body_schema(&doc, "post", "/api/v1/users")["properties"]["email"];
    assert_eq!(email["format"], "email");
    for (i, length) in
        [email["maxLength"].as_u64().unwrap(), email["maxLength"].as_u64().unwrap() + 1].into_iter().enumerate()
    {
        let address = json!(address_of_length(length as usize, char::from(b'k' + i as u8)));
        probe(admin.post(app.url("/users")).json(&json!({"email": address})), email, &address, "e-mail").await;
    }
    for not_an_address in ["anna", "anna@example", "an na@example.com"] {
        let response = admin.post(app.url("/users")).json(&json!({"email": not_an_address})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{not_an_address}");
    }

    let name = &body_schema(&doc, "patch", "/api/v1/me")["properties"]["name"];
    let mut names: Vec<String> = lengths_around(name, 'n');
    names.extend(["Anna Berg", "Anna\u{7}Berg", "Anna\u{85}Berg", "   "].map(str::to_owned));
    for value in names.into_iter().map(Value::from) {
        probe(admin.patch(app.url("/me")).json(&json!({"name": value})), name, &value, "name").await;
    }

    let new_password = &body_schema(&doc, "put", "/api/v1/me/password")["properties"]["new_password"];
    let mut current = PASSWORD.to_owned();
    // Unguessable text cut to each length (the same letter repeated would be refused by a
    // strength check that no length bound states), distinct for each probe.
    let unguessable = "vT8#qL2m!Xr9@Kw4$Zp6&Nd3^Hs7*Jb5%Fy1";
    for (i, value) in lengths_around(new_password, 'p').into_iter().enumerate() {
        let value: String = unguessable.chars().cycle().skip(i * 5).take(value.chars().count()).collect();
        let body = json!({"current_password": current, "new_password": value});
        let value = Value::from(value);
        let accepted = schema_accepts(new_password, &value);
        probe(admin.put(app.url("/me/password")).json(&body), new_password, &value, "new password").await;
        if accepted {
            current = value.as_str().unwrap().to_owned();
        }
    }

    let update = body_schema(&doc, "patch", "/api/v1/users/{id}");
    let version = &update["properties"]["version"];
    assert!(update["required"].as_array().unwrap().contains(&json!("version")));
    for value in [version["minimum"].as_i64().unwrap() - 1, version["minimum"].as_i64().unwrap()] {
        let pending = app.invited(&admin, &format!("version-{value}@example.com"), RoleSet::EMPTY).await;
        assert_eq!(pending.version, 1, "a new user starts at the first version");
        let request = admin.patch(app.url(&format!("/users/{}", pending.id))).json(&json!({"version": value}));
        probe(request, version, &json!(value), "version").await;
    }

    let document = &body_schema(&doc, "put", "/api/v1/areas/{area}")["properties"]["document"];
    let fields = |count: u64| -> Value { (0..count).map(|i| (format!("field {i}"), json!("value"))).collect() };
    let max_fields = document["maxProperties"].as_u64().unwrap();
    let mut documents = vec![fields(max_fields), fields(max_fields + 1), json!({"   ": "only spaces"})];
    for key in lengths_around(&document["propertyNames"], 'k') {
        documents.push(json!({ key: "value" }));
    }
    for value in lengths_around(&document["additionalProperties"], 'v') {
        documents.push(json!({ "field": value }));
    }
    for value in documents {
        probe(
            admin.put(app.url("/areas/taxes")).json(&json!({"document": value})),
            document,
            &value,
            "settings document",
        )
        .await;
    }
}

/// Values a browser would never send, percent-encoded: NUL and other control characters
/// (C0, DEL, C1), invalid UTF-8, an unpaired surrogate, text direction overrides, a NUL once
/// decoded from hexadecimal (the user list's cursor), and long and very long values.
const NASTY: [&str; 14] = [
    "6100",
    "%00",
    "a%00b",
    "%01",
    "%1F",
    "%7F",
    "%C2%85",
    "%0D%0A",
    "%C3%28",
    "%FF%FE",
    "%ED%A0%80",
    "%E2%80%AE",
    "LONG",
    "VERY_LONG",
];

#[tokio::test]
async fn every_parameter_answers_nasty_values_with_a_documented_status_and_error_body() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let mut problems = Vec::new();
    let mut probes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let documented = operation["responses"].as_object().unwrap();
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                for nasty in NASTY {
                    let value = match nasty {
                        "LONG" => "x".repeat(4_000),
                        // Just under the longest URL the HTTP client can send.
                        "VERY_LONG" => "x".repeat(60_000),
                        nasty => nasty.to_owned(),
                    };
                    let url = match parameter["in"].as_str().unwrap() {
                        "path" => format!("{}{}", app.address, path.replace(&format!("{{{name}}}"), &value)),
                        _ => format!("{}{path}?{name}={value}", app.address),
                    };
                    if url.contains('{') {
                        continue;
                    }
                    let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                    let mut request = admin.request(method.clone(), &url);
                    if operation.get("requestBody").is_some() {
                        request = request.json(&json!({}));
                    }
                    let response = request.send().await.unwrap();
                    probes += 1;
                    let status = response.status();
                    let what = format!("{method} {path} with {name}={}", &value[..value.len().min(20)]);
                    if status.is_server_error() || !documented.contains_key(status.as_str()) {
                        problems.push(format!("{what}: {status} is not documented"));
                        continue;
                    }
                    let body = response.bytes().await.unwrap();
                    if status.is_client_error() && !body.is_empty() {
                        let error: Value = serde_json::from_slice(&body).unwrap_or_default();
                        if !error["error"]["code"].is_string() {
                            problems.push(format!(
                                "{what}: {status} without the error body: {}",
                                String::from_utf8_lossy(&body)
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(probes > 100, "only {probes} probes: the document lists too few parameters");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
