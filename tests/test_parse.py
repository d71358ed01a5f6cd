"""Strict parsing, lexical checks of literals, and the positions Turtle files give."""

from __future__ import annotations

import pytest

from realpolitik.rdf.literals import lexical_error
from realpolitik.rdf.parse import InputError, parse_turtle
from realpolitik.rdf.positions import Position, scan

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    "lexical, datatype",
    [
        ("2025-01-17", "date"),
        ("2024-02-29", "date"),
        ("2025", "gYear"),
        ("-0044", "gYear"),
        ("2025-06", "gYearMonth"),
        ("42", "integer"),
        ("+0", "nonNegativeInteger"),
        ("true", "boolean"),
        ("0", "boolean"),
        ("P20Y", "duration"),
        ("P1Y2M3DT4H5M6.5S", "duration"),
        ("3.14", "decimal"),
        ("1e10", "double"),
        ("INF", "double"),
        ("en", "language"),
        ("en-GB", "language"),
        ("2025-01-17T10:00:00Z", "dateTime"),
        ("anything goes", "string"),
    ],
)
def test_valid_lexical_forms(lexical, datatype):
    assert lexical_error(lexical, XSD + datatype) is None


@pytest.mark.parametrize(
    "lexical, datatype",
    [
        ("abc", "integer"),
        ("1.5", "integer"),
        ("-1", "nonNegativeInteger"),
        ("2024-13-45", "date"),
        ("2023-02-29", "date"),
        ("2025-04-31", "date"),
        ("17 Jan 2025", "date"),
        ("25", "gYear"),
        ("2025-13", "gYearMonth"),
        ("2025-6", "gYearMonth"),
        ("yes", "boolean"),
        ("P", "duration"),
        ("P1S", "duration"),
        ("20 years", "duration"),
        ("1,5", "decimal"),
        ("en_GB", "language"),
        ("2147483648", "int"),
        ("2025-01-17 10:00", "dateTime"),
    ],
)
def test_invalid_lexical_forms(lexical, datatype):
    assert lexical_error(lexical, XSD + datatype)


def test_unknown_datatypes_are_left_alone():
    assert lexical_error("whatever", "http://example.org/myType") is None


def test_parse_reports_first_ill_typed_literal_where_it_is_written(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text(
        '@prefix ex: <http://example.org/> .\n'
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
        'ex:a ex:ok "2025-01-17"^^xsd:date ;\n'
        '     ex:bad "2025-02-30"^^xsd:date .\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        parse_turtle(path, "x.ttl")
    assert (info.value.line, info.value.column) == (4, 13)
    assert str(info.value) == 'x.ttl:4:13: "2025-02-30" is not a valid xsd:date: month 2 has no day 30'


def test_blank_node_labels_do_not_collide_across_files(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text('@prefix ex: <http://example.org/> .\n_:x ex:p "a" .\n', encoding="utf-8")
    b.write_text('@prefix ex: <http://example.org/> .\n_:x ex:p "b" .\n', encoding="utf-8")
    subjects = {t[0] for t in parse_turtle(a).triples} | {t[0] for t in parse_turtle(b).triples}
    assert len(subjects) == 2


def test_plain_literals_stay_plain(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "plain" , "tagged"@en .\n', encoding="utf-8")
    objects = {t[2] for t in parse_turtle(path).triples}
    assert {(o.datatype, o.language) for o in objects} == {(None, None), (None, "en")}


TURTLE = '''\
@prefix ex: <http://example.org/> .
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
@base <http://example.org/base/> .

# a comment with "quotes" and <brackets>
ex:a a ex:Thing ;
    rdfs:label """a long
string with ex:fake and ; . inside""" ;
    ex:list ( ex:b "c" 3 ) ;
    ex:nested [ ex:inner [ ex:deep "value" ] ; ex:n 1.5e3 ] ,
              [ ex:other true ] .

<relative> ex:p ex:a\\-b .
[ ex:q ex:c ] ex:r ex:d .
ex:e ex:f "x"^^<http://www.w3.org/2001/XMLSchema#string>.
'''


def test_positions_of_subjects_statements_and_uses():
    positions = scan(TURTLE)
    ex = "http://example.org/"
    assert positions.subject(ex + "a") == Position(6, 1)
    assert positions.subject(ex + "base/relative") == Position(13, 1)
    assert positions.subject(ex + "e") == Position(15, 1)
    assert positions.statement(ex + "a", ex + "nested") == Position(10, 5)
    assert positions.statement(ex + "a", "http://www.w3.org/2000/01/rdf-schema#label") == Position(7, 5)
    assert positions.first_use(ex + "a-b") == Position(13, 17)
    assert positions.first_use(ex + "fake") is None  # inside a string
    assert [u.line for u in positions.uses[ex + "a"]] == [6]


def test_positions_of_nested_blank_nodes_and_literals():
    positions = scan(TURTLE)
    ex = "http://example.org/"
    nested = {(n.path, n.position): n.literals for n in positions.nested}
    assert nested[((ex + "nested", ex + "inner"), Position(10, 26))] == frozenset({"value"})
    assert nested[((ex + "nested",), Position(10, 15))] == frozenset({"value", "1.5e3"})
    assert nested[((ex + "nested",), Position(11, 15))] == frozenset({"true"})
    literal = next(lit for lit in positions.literals if lit.lexical.startswith("a long"))
    assert literal.position == Position(7, 16)
    assert literal.lexical == "a long\nstring with ex:fake and ; . inside"
