"""``/reconcile``, the Reconciliation Service API, as OpenRefine asks it: the manifest
fetched, batches of queries POSTed as a form with types and properties, suggest,
preview and extend, against ``realpolitik serve`` started as a process of its own."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

import realpolitik
from realpolitik.serving.reconcile import MAX_QUERIES, MAX_TEXT, name_score, words
from test_serve import Server, one_line

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
IDS = "https://w3id.org/realpolitik/id/"


@pytest.fixture(scope="module")
def server():
    running = Server()
    yield running
    running.stop()


def post(server, **fields):
    return server.get("/reconcile", data=urllib.parse.urlencode(fields).encode(), headers=FORM)


def reconcile(server, batch: dict) -> dict:
    status, media, body = post(server, queries=json.dumps(batch))
    assert (status, media) == (200, "application/json"), body
    return json.loads(body)


def label_of(iri: str) -> str:
    return str(realpolitik.sparql(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")[0]["l"])


def test_the_manifest_describes_the_service_and_its_urls_answer(server):
    status, media, body = server.get("/reconcile")
    assert (status, media) == (200, "application/json")
    manifest = json.loads(body)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == IDS
    assert manifest["schemaSpace"] == "https://w3id.org/realpolitik/ontology#"
    assert [t["id"] for t in manifest["defaultTypes"]] == ["Actor", "LegalInstrument", "WeaponSystem"]
    assert manifest["view"]["url"] == IDS + "{{id}}"
    preview = manifest["preview"]["url"]
    assert preview.startswith(server.base + "reconcile/") and "{{id}}" in preview
    assert server.get(preview.replace("{{id}}", "state-irn")[len(server.base):])[0] == 200
    for kind in ("entity", "type", "property"):
        place = manifest["suggest"][kind]
        assert place["service_url"] == server.base + "reconcile"
        assert server.get(place["service_url"][len(server.base):] + place["service_path"] + "?prefix=a")[0] == 200
    proposed = manifest["extend"]["propose_properties"]
    assert server.get(proposed["service_url"][len(server.base):] + proposed["service_path"] + "?type=State")[0] == 200


def test_the_four_names_reconcile_to_what_the_data_calls_them_first(server):
    """A capital is its state's alias in the data (docs/iris.md): Tehran is Iran."""
    expected = {"Tehran": "state-irn", "Moscow": "state-rus", "S-400": "weapon-s-400", "CAATSA": "law-usa-caatsa"}
    batch = {f"q{n}": {"query": name, "limit": 5} for n, name in enumerate(expected)}
    answer = reconcile(server, batch)
    assert set(answer) == set(batch)
    for key, asked in batch.items():
        found = answer[key]["result"]
        assert found[0]["id"] == expected[asked["query"]] and found[0]["match"] is True
        assert found[0]["name"] == label_of(IDS + found[0]["id"])
        assert all(not c["match"] for c in found[1:])
        scores = [c["score"] for c in found]
        assert scores == sorted(scores, reverse=True)
        assert len(found) <= 5


def test_a_batch_by_get_answers_as_by_post(server):
    batch = {"q0": {"query": "Iran"}, "q1": {"query": "S-400"}}
    status, _, body = server.get("/reconcile?" + urllib.parse.urlencode({"queries": json.dumps(batch)}))
    assert status == 200 and json.loads(body) == reconcile(server, batch)


def test_a_batch_as_openrefine_sends_it_with_types_and_properties(server):
    batch = {
        "q0": {"query": "Tehran", "type": "Actor", "limit": 3, "type_strict": "should",
               "properties": [{"pid": "isoCode", "v": "IRN"}]},
        "q1": {"query": "Tehran", "type": "WeaponSystem", "type_strict": "should"},
        "q2": {"query": "Iran", "type": "State", "properties": [{"pid": "isoCode", "v": "RUS"}]},
        "q3": {"query": "Iran", "type": "State"},
    }
    answer = reconcile(server, batch)
    sharpened = answer["q0"]["result"][0]
    assert sharpened["id"] == "state-irn" and "Actor" in [t["id"] for t in sharpened["type"]]
    plain = reconcile(server, {"q": {"query": "Tehran", "type": "Actor"}})["q"]["result"][0]
    assert sharpened["score"] > plain["score"]
    assert all("WeaponSystem" in [t["id"] for t in c["type"]] for c in answer["q1"]["result"])
    assert "state-irn" not in [c["id"] for c in answer["q1"]["result"]]
    wrong, right = answer["q2"]["result"][0], answer["q3"]["result"][0]
    assert wrong["id"] == right["id"] == "state-irn" and wrong["score"] < right["score"]
    assert all("State" in [t["id"] for t in c["type"]] for c in answer["q3"]["result"])


def test_scores_order_exact_then_insensitive_then_shared_words():
    query = "Tehran"
    assert name_score(query, words(query), "Tehran", True) > name_score(query, words(query), "Tehran", False)
    assert name_score(query, words(query), "Tehran", False) > name_score(query, words(query), "TÉHRAN", True)
    assert name_score("Téhran", words("Téhran"), "Tehran", True) == name_score(query, words(query), "tehran", True)
    assert name_score(query, words(query), "tehran", True) > name_score(query, words(query), "Tehran Times", True) > 0
    assert name_score(query, words(query), "Moscow", True) == 0


def test_a_name_given_in_another_case_or_with_diacritics_still_comes_first(server):
    answer = reconcile(server, {"q0": {"query": "téhran"}, "q1": {"query": "Tehran"}, "q2": {"query": "s 400"}})
    assert answer["q0"]["result"][0]["id"] == "state-irn"
    assert answer["q0"]["result"][0]["score"] < answer["q1"]["result"][0]["score"]
    assert answer["q2"]["result"][0]["id"] == "weapon-s-400"


def test_suggest_finds_entities_types_and_properties_by_prefix(server):
    status, _, body = server.get("/reconcile/suggest/entity?prefix=Teh")
    assert status == 200 and "state-irn" in [r["id"] for r in json.loads(body)["result"]]
    status, _, body = server.get("/reconcile/suggest/entity?prefix=Teh&type=WeaponSystem")
    assert status == 200 and "state-irn" not in [r["id"] for r in json.loads(body)["result"]]
    found = json.loads(server.get("/reconcile/suggest/entity?prefix=s-4")[2])["result"]
    assert found[0]["id"] == "weapon-s-400" and "S-400" in found[0]["description"]
    assert [r["id"] for r in json.loads(server.get("/reconcile/suggest/type?prefix=sta")[2])["result"]] == ["State"]
    assert "isoCode" in [r["id"] for r in json.loads(server.get("/reconcile/suggest/property?prefix=iso")[2])["result"]]
    status, _, body = server.get("/reconcile/suggest/nothing?prefix=a")
    assert status == 404 and one_line(body)


def test_preview_is_a_small_card_with_escaped_text(server):
    status, media, body = server.get("/reconcile/preview?id=state-irn")
    assert (status, media) == (200, "text/html; charset=utf-8")
    assert "<h3>" in body and ">Iran</a>" in body and "IRN" in body and "Tehran" in body
    status, media, body = server.get("/reconcile/preview?" + urllib.parse.urlencode({"id": "<script>"}))
    assert (status, media) == (404, "text/plain; charset=utf-8")
    assert one_line(body) == "id: '<script>' is not an entity reconciled here"


def test_extend_gives_the_values_the_data_holds(server):
    asked = {"ids": ["state-irn", "weapon-s-400", "no-such-thing"],
             "properties": [{"id": "isoCode"}, {"id": "wikidata"}, {"id": "designation"}, {"id": "claims"}]}
    status, _, body = post(server, extend=json.dumps(asked))
    assert status == 200
    answer = json.loads(body)
    assert [m["id"] for m in answer["meta"]] == ["isoCode", "wikidata", "designation", "claims"]
    iran = answer["rows"]["state-irn"]
    assert iran["isoCode"] == [{"str": "IRN"}] and iran["designation"] == []
    wikidata = realpolitik.sparql("SELECT ?w WHERE { rpd:state-irn rp:wikidata ?w }")[0]["w"]
    assert iran["wikidata"] == [{"str": str(wikidata).rsplit("/", 1)[-1]}]
    claims = realpolitik.sparql("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a rp:Claim ; rp:about rpd:state-irn }")
    assert iran["claims"] == [{"int": int(claims[0]["n"])}] and iran["claims"][0]["int"] > 0
    assert answer["rows"]["weapon-s-400"]["designation"] == [{"str": "S-400"}]
    assert answer["rows"]["no-such-thing"] == {p["id"]: [] for p in asked["properties"]}
    status, _, body = server.get("/reconcile/properties?type=WeaponSystem")
    assert status == 200 and "designation" in [p["id"] for p in json.loads(body)["properties"]]
    assert "isoCode" not in [p["id"] for p in json.loads(body)["properties"]]


@pytest.mark.parametrize("fields, said", [
    ({"queries": "{not json"}, "queries: not JSON"),
    ({"queries": "[1, 2]"}, "queries: a JSON object of queries by key"),
    ({"queries": json.dumps({f"q{n}": {"query": "Iran"} for n in range(10_000)})},
     f"queries: 10,000 queries in one batch; at most {MAX_QUERIES:,}"),
    ({"queries": json.dumps({"q0": {"query": "x" * (MAX_TEXT + 1)}})},
     f'queries["q0"].query: {MAX_TEXT + 1:,} characters; at most {MAX_TEXT:,}'),
    ({"queries": json.dumps({"q0": {"query": ""}})}, 'queries["q0"].query: a text to match is needed'),
    ({"queries": json.dumps({"q0": {"query": "Iran", "limit": 0}})}, 'queries["q0"].limit: a whole number from 1 to 100'),
    ({"queries": json.dumps({"q0": {"query": "Iran", "type": "Planet"}})}, "queries[\"q0\"].type: 'Planet' is not a type here"),
    ({"queries": json.dumps({"q0": {"query": "Iran", "properties": [{"pid": "colour", "v": "red"}]}})},
     'queries["q0"].properties[0].pid: one of isoCode, wikidata, designation'),
    ({"queries": "[" * 100_000}, "queries: not JSON"),
    ({"extend": json.dumps({"ids": "state-irn", "properties": []})}, "extend.ids: a list of entity ids"),
    ({"extend": json.dumps({"ids": [], "properties": [{"id": "colour"}]})}, "extend.properties[0].id: one of"),
])
def test_hostile_input_is_400_in_one_line(server, fields, said):
    status, _, body = post(server, **fields)
    assert status == 400 and one_line(body).startswith(said)


def test_a_form_over_a_mebibyte_is_413_and_a_field_given_twice_400(server):
    status, _, body = post(server, queries=json.dumps({"q0": {"query": "Iran"}}), pad="x" * (1024 * 1024))
    assert status == 413 and one_line(body) == "the request is longer than 1,048,576 bytes"
    status, _, body = server.get("/reconcile?queries=%7B%7D", data=b"queries=%7B%7D", headers=FORM)
    assert status == 400 and one_line(body) == "queries: give it once"
    status, _, body = server.get("/reconcile", data=b"queries={}", headers={"Content-Type": "text/plain"})
    assert status == 415 and one_line(body)


def test_a_get_with_a_callback_is_jsonp_and_every_answer_may_be_read_by_any_page(server):
    status, media, body = server.get("/reconcile?callback=jQuery123_456")
    assert (status, media) == (200, "application/javascript")
    assert body.startswith("jQuery123_456(") and body.endswith(");")
    assert json.loads(body[len("jQuery123_456("):-2]) == json.loads(server.get("/reconcile")[2])
    status, _, body = server.get("/reconcile?" + urllib.parse.urlencode({"callback": "alert(1)//"}))
    assert status == 400 and one_line(body).startswith("callback:")
    request = urllib.request.Request(server.base + "reconcile/suggest/entity?prefix=Iran")
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
