//! Parsing policy documents: what is refused (with the path named) and what is accepted.

use super::*;

#[test]
fn invalid_documents_name_the_path() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*"},{"Effect":"Allow","Action":"*"},{"Effect":3,"Action":"*"}]}"#,
            r#"Statement[2].Effect: expected "Allow" or "Deny", found 3"#,
        ),
        (r#"{"Statement":[{"Action":"*"}]}"#, "Statement[0].Effect: missing"),
        (r#"{"Statement":{"Effect":"allow","Action":"*"}}"#, r#"Statement.Effect: expected "Allow" or "Deny", found "allow""#),
        (r#"{"Statement":"x"}"#, r#"Statement: expected an object or an array, found "x""#),
        (r#"{"Statement":[1]}"#, "Statement[0]: expected an object, found 1"),
        (r#"{"Version":"2012-10-17"}"#, "Statement: missing"),
        (r#"{"Statement":[{"Effect":"Allow","Action":5}]}"#, "Statement[0].Action: expected a string or an array of strings, found 5"),
        (r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject",true]}]}"#, "Statement[0].Action[1]: expected a string, found true"),
        (r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#, "Statement[0].Action: missing (a statement needs Action or NotAction)"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"*"}]}"#, "Statement[0].NotAction: a statement cannot have both Action and NotAction"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":{}}]}"#, "Statement[0].Resource: expected a string or an array of strings, found an object"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":"arn:aws:iam::1:root"}]}"#, r#"Statement[0].Principal: expected "*" or an object, found "arn:aws:iam::1:root""#),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"User":"x"}}]}"#, "Statement[0].Principal.User: unknown principal type (expected AWS, Service, Federated or CanonicalUser)"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"AWS":[1]}}]}"#, "Statement[0].Principal.AWS[0]: expected a string, found 1"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":[]}]}"#, "Statement[0].Condition: expected an object, found an array"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":"x"}}]}"#, r#"Statement[0].Condition.StringEquals: expected an object of condition keys, found "x""#),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":null}}}]}"#, "Statement[0].Condition.StringEquals.k: expected a string, number or boolean, found null"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":["a",{}]}}}]}"#, "Statement[0].Condition.StringEquals.k[1]: expected a string, number or boolean, found an object"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Sid":1}]}"#, "Statement[0].Sid: expected a string, found 1"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Actions":"*"}]}"#, "Statement[0].Actions: unknown statement element"),
        (r#"{"Version":"2020-01-01","Statement":[]}"#, r#"Version: expected "2012-10-17" or "2008-10-17", found "2020-01-01""#),
        (r#"{"Statement":[],"Extra":1}"#, "Extra: unknown element (expected Version, Id or Statement)"),
        (r#"[]"#, "policy document: expected an object, found an array"),
    ];
    for (json, want) in cases {
        match Policy::parse_str(json) {
            Ok(_) => panic!("{json}: parsed, expected error {want}"),
            Err(e) => assert_eq!(e.to_string(), *want, "{json}"),
        }
    }
    let e = Policy::parse_str("{not json").unwrap_err();
    assert!(
        e.to_string().starts_with("policy document: not valid JSON"),
        "{e}"
    );
}

#[test]
fn valid_shapes_parse() {
    for json in [
        r#"{"Statement":[]}"#,
        r#"{"Id":"x","Version":"2008-10-17","Statement":{"Effect":"Deny","NotAction":["a:b"],"NotResource":"*","NotPrincipal":{"AWS":["1"],"Service":"s"}}}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":[],"Condition":{}}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"NumericLessThan":{"k":[1,2.5,"3"]},"Bool":{"b":false}}}]}"#,
    ] {
        Policy::parse_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
    let p =
        Policy::parse_str(r#"{"Statement":{"Sid":"One","Effect":"Deny","Action":"*"}}"#).unwrap();
    assert_eq!(p.version(), PolicyVersion::Absent);
    assert_eq!(p.statements().len(), 1);
    assert_eq!(p.statements()[0].sid(), Some("One"));
    assert_eq!(p.statements()[0].effect(), Effect::Deny);
    let v: Value = serde_json::from_str(STARPORT_ONLY).unwrap();
    assert_eq!(
        Policy::from_value(&v).unwrap(),
        Policy::parse_str(STARPORT_ONLY).unwrap()
    );
}
