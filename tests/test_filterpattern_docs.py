"""Every filter pattern in AWS's filter-pattern documentation, with its documented result.

Each example names the page it comes from (``url``). Events are the documented example
events; where a page gives a pattern without events (the numeric comparisons, the
wildcard rules), the events are ours and the entry says so in a comment. Patterns the
docs say AWS rejects are in ``REJECTED``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from trailwarden.filterpattern import FilterPatternSyntaxError, PatternKind, compile_pattern

SYNTAX = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html"
REGEX = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html"
REGEX_TERMS = SYNTAX + "#matching-terms-regex"
UNSTRUCTURED = SYNTAX + "#matching-terms-unstructured-log-events"
JSON_PAGE = (
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html"
)
JSON_SECTION = SYNTAX + "#matching-terms-json-log-events"
DELIMITED = SYNTAX + "#matching-term-space-delimited-log-events"
# The user guide's source before AWS moved its docs off GitHub (June 2023).
ARCHIVED = (
    "https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/master/"
    "doc_source/FilterAndPatternSyntax.md"
)
LIGHTSAIL = (
    "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/lightsail/"
    "aws.sdk.kotlin.services.lightsail.model/-get-container-log-request/filter-pattern.html"
)
TEST_METRIC_FILTER = (
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html"
)
# The metric filter examples of the user guide ("Creating metric filters").
EXAMPLES_PAGE = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/"
COUNT_EVENTS = EXAMPLES_PAGE + "CountingLogEventsExample.html"
COUNT_TERM = EXAMPLES_PAGE + "CountOccurrencesExample.html"
COUNT_404 = EXAMPLES_PAGE + "Counting404Responses.html"
EXTRACT_FIELDS = EXAMPLES_PAGE + "ExtractBytesExample.html"
LIVE_TAIL = (
    "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudwatchlogs/"
    "aws.sdk.kotlin.services.cloudwatchlogs.model/-start-live-tail-request/"
    "log-event-filter-pattern.html"
)


@dataclass(frozen=True)
class Example:
    pattern: str
    url: str
    matches: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()


def j(document: object) -> str:
    """A JSON log event on one line, as the docs say to test it."""
    return json.dumps(document)


# The JSON event of JSON_PAGE (and of ARCHIVED, which has "ThisFlag" for "cluster.name").
JSON_EVENT = j(
    {
        "eventType": "UpdateTrail",
        "sourceIPAddress": "111.111.111.111",
        "arrayKey": ["value", "another value"],
        "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
        "SomeObject": None,
        "cluster.name": "c",
    }
)
ARCHIVED_JSON_EVENT = j(
    {
        "eventType": "UpdateTrail",
        "sourceIPAddress": "111.111.111.111",
        "arrayKey": ["value", "another value"],
        "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
        "SomeObject": None,
        "ThisFlag": True,
    }
)
COMPOUND_EVENT = j(
    {
        "user": {"id": 1, "email": "John.Stiles@example.com"},
        "users": [
            {"id": 2, "email": "John.Doe@example.com"},
            {"id": 3, "email": "Jane.Doe@example.com"},
        ],
        "actions": ["GET", "PUT", "DELETE"],
        "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
    }
)
ERRORS = (
    "[ERROR 400] BAD REQUEST",
    "[ERROR 401] UNAUTHORIZED REQUEST",
    "[ERROR 419] MISSING ARGUMENTS",
    "[ERROR 420] INVALID ARGUMENTS",
)
APACHE = (
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
)
# ours: an Apache line with a 4xx status and an .html request, for the conditions.
APACHE_404 = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 404 2326'
APACHE_403 = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 403 2326'
DELIMITED_EVENT = (
    '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'
)
SERVICE_LOG = (
    "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200",
    "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310",
    "WARNING 09/25/2014 12:00:02 Invalid user request",
    "ERROR 09/25/2014 12:00:02 Failed to process request",
)
OR_EVENTS = ("ERROR WARN message", "ERROR message", "WARN message")
HTML_4XX = (  # TEST_METRIC_FILTER's events for its 4XX example; it matches 0 and 3
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /about-us/index.html HTTP/1.0" 200 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 404 4355',
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /products/index.html HTTP/1.0" 400 1534',
)
APP_LOG = (  # TEST_METRIC_FILTER's events for its "[ERROR]" examples
    "02 May 2014 00:34:12,525 [INFO] Starting the application",
    "02 May 2014 00:35:14,245 [DEBUG] Database connection established",
    "02 May 2014 00:34:14,663 [INFO] Executing SQL Query",
    "02 May 2014 00:34:16,142 [ERROR] Unhanded exception: InvalidQueryException",
    "02 May 2014 00:34:16,224 [ERROR] Terminating the application",
)
BOB_404 = '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326'
APACHE_2013 = (
    '127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287',
    '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /~test/ HTTP/1.1" 200 3',
    '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /favicon.ico HTTP/1.1" 404 308',
    '127.0.0.1 - - [24/Sep/2013:11:51:34 -0700] "GET /~test/index.html HTTP/1.1" 200 3',
)

EXAMPLES = [
    # --- regular expressions: REGEX (and the same list in SYNTAX#regex-expressions) ---
    Example(
        "%AUTHORIZED%",
        REGEX,
        matches=("[ERROR 401] UNAUTHORIZED REQUEST", "[SUCCESS 200] AUTHORIZED REQUEST"),
        misses=("[SUCCESS 200] OK",),
    ),
    Example(
        r"%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%",  # "match any IP address format"
        REGEX,
        matches=("from 10.0.0.1 port 22", "192.168.100.254"),
        misses=("from 10.0.0 port 22",),
    ),
    Example(
        "%[Ee]rror|[Ff]ail%",  # "catch both Error/error and Fail/fail"
        REGEX,
        matches=("Error", "an error", "Fail", "will fail"),
        misses=("ERROR", "FAIL"),
    ),
    Example("%^[hc]at%", REGEX, matches=("hat", "cat nap"), misses=("a hat", "that")),
    Example("%[hc]at$%", REGEX, matches=("a hat", "the cat"), misses=("cat nap",)),
    Example("%colou?r%", REGEX, matches=("color", "colour"), misses=("colr",)),
    Example("%[abc]%", REGEX, matches=("a", "b", "c"), misses=("d",)),
    Example("%[a-z]%", REGEX, matches=("a", "q", "z"), misses=("A", "9")),
    Example("%[abcx-z]%", REGEX, matches=("a", "b", "c", "x", "y", "z"), misses=("d", "w")),
    Example("%a{3,5}%", REGEX, matches=("aaa", "aaaa", "aaaaa"), misses=("aa", "a a a")),
    Example("%gra|ey%", REGEX, matches=("gray", "grey")),
    Example(
        "%^starting|^initializing|^shutting down%",
        REGEX,
        matches=("starting ...", "initializing ...", "shutting down"),
        misses=("skipping initializing ...",),
    ),
    Example(
        # The page prints it without the closing '%'; "abcc ..." and "aba" match, "aac" not.
        "%abcc|ab[^c]$%",
        REGEX,
        matches=("abcc ...", "aba"),
        misses=("aac ...",),
    ),
    Example(
        r"%\[.\]%",
        REGEX,
        matches=("[a]", "[b]", "[7]", "[@]", "[]]", "[ ]"),
        misses=("[]", "[ab]"),
    ),
    Example(r"%10\.10\.0\.1%", REGEX, matches=("10.10.0.1",), misses=("10010,051",)),
    Example("%10.10.0.1%", REGEX, matches=("10.10.0.1", "10010,051")),  # the unescaped trap
    Example("%ab*c%", REGEX, matches=("ac", "abc", "abbbc"), misses=("adc",)),
    Example("%ab[0-9]*%", REGEX, matches=("ab", "ab0", "ab129")),
    Example("%ab+c%", REGEX, matches=("abc", "abbc", "abbbc"), misses=("ac",)),
    Example("%.at%", REGEX, matches=("hat", "cat", "bat", "4at", "#at", " at"), misses=("at",)),
    Example(r"%\d%", REGEX, matches=("a1",), misses=("abc",)),
    Example("%[0-9]%", REGEX, matches=("a1",), misses=("abc",)),
    Example(r"%\D%", REGEX, matches=("1a",), misses=("123",)),
    Example("%[^0-9]%", REGEX, matches=("1a",), misses=("123",)),
    Example(r"%\s%", REGEX, matches=("a b", "a\tb", "a\nb"), misses=("ab",)),
    Example(r"%\S%", REGEX, matches=(" a ",), misses=(" \t",)),
    Example(r"%\w%", REGEX, matches=("_", "a", "Z", "5"), misses=("-+ ",)),
    Example("%[a-zA-Z_0-9]%", REGEX, matches=("_",), misses=("-+ ",)),
    Example(r"%\W%", REGEX, matches=("a-b",), misses=("a_b",)),
    Example("%[^a-zA-Z_0-9]%", REGEX, matches=("a-b",), misses=("a_b",)),
    Example(r"%\x3A%", REGEX, matches=("a:b",), misses=("ab",)),
    Example(r"%\x28%", REGEX, matches=("f(x)",), misses=("fx",)),
    # --- regex as a term pattern: SYNTAX#matching-terms-regex ---
    Example(
        "%AUTHORIZED%",
        REGEX_TERMS,
        matches=("[ERROR 401] UNAUTHORIZED REQUEST", "[SUCCESS 200] AUTHORIZED REQUEST"),
    ),
    # --- unstructured log events: UNSTRUCTURED ---
    Example("ERROR", UNSTRUCTURED, matches=ERRORS, misses=("[INFO] REQUEST FAILED",)),
    Example("ERROR ARGUMENTS", UNSTRUCTURED, matches=ERRORS[2:], misses=ERRORS[:2]),
    Example("?ERROR ?ARGUMENTS", UNSTRUCTURED, matches=ERRORS, misses=("[WARN] ok",)),
    Example(
        "?ERROR ?ARGUMENTS REQUEST",  # the '?' terms are ignored next to a plain term
        UNSTRUCTURED,
        matches=(
            "[INFO] REQUEST FAILED",
            "[WARN] UNAUTHORIZED REQUEST",
            "[ERROR] 400 BAD REQUEST",
        ),
        misses=("[ERROR 419] MISSING ARGUMENTS",),
    ),
    Example(
        '"INTERNAL SERVER ERROR"',
        UNSTRUCTURED,
        matches=("[ERROR 500] INTERNAL SERVER ERROR",),
        misses=("[ERROR 500] SERVER ERROR INTERNAL",),
    ),
    Example("ERROR -ARGUMENTS", UNSTRUCTURED, matches=ERRORS[:2], misses=ERRORS[2:]),
    Example('" "', UNSTRUCTURED, matches=("", "x", *ERRORS)),  # "Match everything"
    # --- the archived page's unstructured examples ---
    Example("", ARCHIVED, matches=("", "anything at all", *ERRORS)),
    Example(
        "ERROR",
        ARCHIVED,
        matches=("[ERROR] A fatal exception has occurred", "Exiting with ERRORCODE: -1"),
    ),
    Example(
        "ERROR -Exiting",
        ARCHIVED,
        matches=("[ERROR] A fatal exception has occurred",),
        misses=("Exiting with ERRORCODE: -1",),
    ),
    Example(
        "ERROR Exception",
        ARCHIVED,
        matches=("[ERROR] Caught IllegalArgumentException", "[ERROR] Unhandled Exception"),
        misses=("[ERROR] Unhandled Problem",),
    ),
    Example(
        '"Failed to process the request"',
        ARCHIVED,
        matches=(
            "[WARN] Failed to process the request",
            "[ERROR] Unable to continue: Failed to process the request",
        ),
        misses=("[WARN] Failed to process request",),
    ),
    Example("ERROR", ARCHIVED, matches=OR_EVENTS[:2], misses=OR_EVENTS[2:]),
    Example("?ERROR ?WARN", ARCHIVED, matches=OR_EVENTS),
    Example("ERROR WARN", ARCHIVED, matches=OR_EVENTS[:1], misses=OR_EVENTS[1:]),
    Example("ERROR -WARN", ARCHIVED, matches=OR_EVENTS[1:2], misses=(OR_EVENTS[0], OR_EVENTS[2])),
    # --- other AWS pages that describe term patterns (their events are ours) ---
    Example("", LIGHTSAIL, matches=("anything",)),
    Example("-ERROR", LIGHTSAIL, matches=("all good",), misses=("an ERROR here",)),
    Example("ERROR", LIGHTSAIL, matches=("an ERROR here",), misses=("all good",)),
    Example(
        "ERROR Exception",
        LIGHTSAIL,
        matches=("ERROR: Exception",),
        misses=("ERROR only", "Exception only"),
    ),
    Example(
        "?ERROR ?Exception",
        LIGHTSAIL,
        matches=("ERROR only", "Exception only"),
        misses=("neither",),
    ),
    Example("error 404", LIVE_TAIL, matches=("error: 404 not found",), misses=("error 500",)),
    # --- JSON log events: JSON_PAGE (same examples in SYNTAX#matching-terms-json-log-events)
    Example(
        '{ $.eventType = "UpdateTrail" }',
        JSON_PAGE,
        matches=(JSON_EVENT, j({"eventType": "UpdateTrail", "source": "cloudtrail"})),
        misses=(
            j({"eventType": "UserLogin", "userId": "123"}),
            j({"eventType": "ConfigUpdate", "component": "database"}),
        ),
    ),
    Example(
        "{ $.sourceIPAddress != 123.123.* }",
        JSON_PAGE,
        matches=(JSON_EVENT,),
        misses=(j({"sourceIPAddress": "123.123.0.7"}),),  # ours: inside the prefix
    ),
    Example('{ $.arrayKey[0] = "value" }', JSON_PAGE, matches=(JSON_EVENT,)),
    Example("{ $.eventType = %Trail% }", JSON_PAGE, matches=(JSON_EVENT,)),
    Example("{ $.arrayKey[*] = %val.{2}% }", JSON_PAGE, matches=(JSON_EVENT,)),
    Example(r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }", JSON_PAGE, matches=(JSON_EVENT,)),
    Example("{ $.['cluster.name'] = \"c\" }", JSON_PAGE, matches=(JSON_EVENT,)),
    Example("{ $.SomeObject IS NULL }", JSON_PAGE, matches=(JSON_EVENT,)),
    Example("{ $.SomeOtherObject NOT EXISTS }", JSON_PAGE, matches=(JSON_EVENT,)),
    Example(
        '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }',
        JSON_PAGE,
        matches=(COMPOUND_EVENT,),
    ),
    Example(
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch"'
        ' && $.actions[2] = "nonmatch" }',
        JSON_PAGE,
        matches=(COMPOUND_EVENT,),
    ),
    Example(
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch")'
        ' && $.actions[2] = "nonmatch" }',
        JSON_PAGE,
        misses=(COMPOUND_EVENT,),
    ),
    Example(
        '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }',
        JSON_PAGE,
        misses=(COMPOUND_EVENT,),
    ),
    # --- numeric comparisons: JSON_SECTION gives the patterns; the events are ours ---
    Example("{ $.bandwidth > 75 }", JSON_SECTION, (j({"bandwidth": 80}),), (j({"bandwidth": 75}),)),
    Example("{ $.latency < 50 }", JSON_SECTION, (j({"latency": 49.9}),), (j({"latency": 50}),)),
    Example(
        "{ $.refreshRate >= 60 }",
        JSON_SECTION,
        (j({"refreshRate": 60}),),
        (j({"refreshRate": 59}),),
    ),
    Example(
        "{ $.responseTime <= 5 }",
        JSON_SECTION,
        (j({"responseTime": 5}),),
        (j({"responseTime": 6}),),
    ),
    Example("{ $.errorCode = 400}", JSON_SECTION, (j({"errorCode": 400}),), (j({"errorCode": 4}),)),
    Example(
        "{ $.errorCode != 500 }", JSON_SECTION, (j({"errorCode": 404}),), (j({"errorCode": 500}),)
    ),
    Example(
        "{ $.number[0] = 1e+3 }", JSON_SECTION, (j({"number": [1000]}),), (j({"number": [1]}),)
    ),
    Example(
        "{ $.number[0] != 1e-3 }",
        JSON_SECTION,
        (j({"number": [0.002]}),),
        (j({"number": [0.001]}),),
    ),
    # --- the archived page's JSON examples ---
    Example('{ $.eventType = "UpdateTrail" }', ARCHIVED, matches=(ARCHIVED_JSON_EVENT,)),
    Example("{ $.sourceIPAddress != 123.123.* }", ARCHIVED, matches=(ARCHIVED_JSON_EVENT,)),
    Example('{ $.arrayKey[0] = "value" }', ARCHIVED, matches=(ARCHIVED_JSON_EVENT,)),
    Example(
        '{ $.arrayKey[0] = "value" }',  # "If arrayKey is not an array this will be false"
        ARCHIVED,
        misses=(j({"arrayKey": "value"}), j({"arrayKey": {"0": "value"}})),
    ),
    Example(
        "{ $.objectList[1].id = 2 }",
        ARCHIVED,
        matches=(ARCHIVED_JSON_EVENT,),
        # "If objectList is not an array ... if the items ... do not have an id property"
        misses=(j({"objectList": {"1": {"id": 2}}}), j({"objectList": [{}, {"name": "b"}]})),
    ),
    Example(
        "{ $.SomeObject IS NULL }",  # "only true if the specified object is set to null"
        ARCHIVED,
        matches=(ARCHIVED_JSON_EVENT,),
        misses=(j({"SomeObject": {}}), j({"other": None})),
    ),
    Example(
        "{ $.SomeOtherObject NOT EXISTS }",
        ARCHIVED,
        matches=(ARCHIVED_JSON_EVENT,),
        misses=(j({"SomeOtherObject": None}),),
    ),
    Example("{ $.ThisFlag IS TRUE }", ARCHIVED, matches=(ARCHIVED_JSON_EVENT,)),
    Example(
        "{ $.ThisFlag IS FALSE }",  # "This also works for ... FALSE"
        ARCHIVED,
        matches=(j({"ThisFlag": False}),),
        misses=(ARCHIVED_JSON_EVENT,),
    ),
    Example("{$.foo = bar}", ARCHIVED, (j({"foo": "bar"}),), (j({"foo": "baz"}),)),
    Example("{$.foo = baz }", ARCHIVED, (j({"foo": "baz"}),), (j({"foo": "bar"}),)),
    Example("{$.foo = bar || $.foo = baz }", ARCHIVED, (j({"foo": "bar"}), j({"foo": "baz"}))),
    Example(
        '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }',
        ARCHIVED,
        matches=(COMPOUND_EVENT,),
    ),
    Example(
        '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }',
        ARCHIVED,
        misses=(COMPOUND_EVENT,),
    ),
    Example(
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch'
        " && $.actions[2] = nomatch }",
        ARCHIVED,
        matches=(COMPOUND_EVENT,),
    ),
    Example(
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch)'
        " && $.actions[2] = nomatch }",
        ARCHIVED,
        misses=(COMPOUND_EVENT,),
    ),
    # "both {$.users = 1} and {$.users != 1} will fail to match" when users is an array
    Example("{$.users = 1}", ARCHIVED, misses=(j({"users": [1, 2, 3]}),)),
    Example("{$.users != 1}", ARCHIVED, misses=(j({"users": [1, 2, 3]}),)),
    # The wildcard rules of STRING ("*Event will match PutEvent and GetEvent ..."), with a
    # selector of ours around them.
    Example(
        "{ $.eventName = *Event }",
        ARCHIVED,
        matches=(j({"eventName": "PutEvent"}), j({"eventName": "GetEvent"})),
        misses=(j({"eventName": "EventId"}),),
    ),
    Example(
        "{ $.eventName = Event* }",
        ARCHIVED,
        matches=(j({"eventName": "EventId"}), j({"eventName": "EventName"})),
        misses=(j({"eventName": "PutEvent"}),),
    ),
    Example(
        "{ $.eventName = Ev*ent }",  # "will only match the actual string Ev*ent"
        ARCHIVED,
        matches=(j({"eventName": "Ev*ent"}),),
        misses=(j({"eventName": "Event"}), j({"eventName": "EvXent"})),
    ),
    # Numeric examples (events ours).
    Example("{ $.latency >= 500 }", ARCHIVED, (j({"latency": 500}),), (j({"latency": 499}),)),
    Example(
        "{ $.numbers[0] < 10e3 }", ARCHIVED, (j({"numbers": [9999]}),), (j({"numbers": [1e4]}),)
    ),
    Example(
        "{ $.numbers[0] < 10e-3 }", ARCHIVED, (j({"numbers": [0.009]}),), (j({"numbers": [0.01]}),)
    ),
    Example(
        "{ $.processes[4].averageRuntime <= 55.5 }",
        ARCHIVED,
        (j({"processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}]}),),
        (j({"processes": [{}, {}, {}, {}, {"averageRuntime": 55.6}]}),),
    ),
    Example("{ $.errorCode = 400 }", ARCHIVED, (j({"errorCode": 400}),), (j({"errorCode": 401}),)),
    Example("{ $.errorCode != 500 }", ARCHIVED, (j({"errorCode": 501}),), (j({"errorCode": 500}),)),
    Example("{ $.latency > +1000 }", ARCHIVED, (j({"latency": 1001}),), (j({"latency": 1000}),)),
    # "metricFilter: { $.latency = * } metricValue: $.latency" (event ours)
    Example("{ $.latency = * }", ARCHIVED, (j({"latency": 50}),), (j({"other": 50}),)),
    # --- space-delimited log events: DELIMITED ---
    Example(
        r"[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*,"
        " status_code = 4*, bytes]",
        DELIMITED,
        matches=(DELIMITED_EVENT,),
        misses=(DELIMITED_EVENT.replace("127.0.0.1", "10.0.0.1"),),  # ours
    ),
    Example(
        "[..., request =*.html*, status_code = 4*, bytes]",
        DELIMITED,
        matches=(DELIMITED_EVENT,),
        misses=(DELIMITED_EVENT.replace(" 404 ", " 200 "),),  # ours
    ),
    Example(
        "[ip, user, username, timestamp, request =*.html*, status_code = 404"
        " || status_code = 410, bytes]",
        DELIMITED,
        matches=(DELIMITED_EVENT, DELIMITED_EVENT.replace(" 404 ", " 410 ")),
        misses=(DELIMITED_EVENT.replace(" 404 ", " 500 "),),  # ours
    ),
    Example(
        # "returns log events where the first word in the log events is ERROR"
        "[w1=ERROR, w2]",
        DELIMITED,
        matches=SERVICE_LOG[3:],
        misses=SERVICE_LOG[:3],
    ),
    Example("[w1=ERROR || w1=WARNING, w2]", DELIMITED, SERVICE_LOG[2:], SERVICE_LOG[:2]),
    Example("[w1!=ERROR && w1!=WARNING, w2]", DELIMITED, SERVICE_LOG[:2], SERVICE_LOG[2:]),
    Example(
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        DELIMITED,
        matches=SERVICE_LOG[:1],
        misses=SERVICE_LOG[1:],
    ),
    Example(
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%,"
        " response_time]",
        DELIMITED,
        matches=SERVICE_LOG[1:2],
        misses=(SERVICE_LOG[0], *SERVICE_LOG[2:]),
    ),
    # --- the archived page's space-delimited examples ---
    Example("[ip, user, username, timestamp, request, status_code, bytes]", ARCHIVED, APACHE),
    Example("[..., status_code, bytes]", ARCHIVED, APACHE),
    Example("[ip, user, ..., status_code, bytes]", ARCHIVED, APACHE),
    Example("[ip, user, ...]", ARCHIVED, APACHE),
    Example(
        "[ip, user, username, timestamp, request, status_code, bytes > 1000]", ARCHIVED, APACHE
    ),
    Example(
        "[ip, user, username, timestamp, request, status_code = 200, bytes]",
        ARCHIVED,
        matches=(APACHE[0], APACHE[2]),
        misses=(APACHE[1],),
    ),
    Example(
        "[ip, user, username, timestamp, request, status_code = 4*, bytes]",
        ARCHIVED,
        matches=(APACHE_404,),
        misses=APACHE,
    ),
    Example(
        "[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]",
        ARCHIVED,
        matches=(APACHE_404,),
        misses=APACHE,
    ),
    Example(
        "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
        ARCHIVED,
        matches=(APACHE_404,),
        misses=(APACHE_403, *APACHE),
    ),
    Example(
        "[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]",
        ARCHIVED,
        matches=(APACHE_403, APACHE_404),
        misses=APACHE,
    ),
    Example(
        # The page's event escapes its quotes (\"GET ...\"), a rendering slip; unescaped here.
        "[..., request=*.html*, status_code=4*,]",
        ARCHIVED,
        matches=(
            '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
        ),
        misses=APACHE,
    ),
    # The archived page says [w1=ERROR, w2] matches "ERROR message" and [w1=ERROR ||
    # w1=WARN, w2] "ERROR message" and "WARN message". Under the current page's rule (the
    # last field takes the rest of the line, see DELIMITED above) "ERROR WARN message"
    # matches both as well; the current page wins (trailwarden.filterpattern.delimited).
    Example("[w1=ERROR, w2]", ARCHIVED, OR_EVENTS[:2], OR_EVENTS[2:]),
    Example("[w1=ERROR || w1=WARN, w2]", ARCHIVED, OR_EVENTS, ("INFO message",)),
    # The archived page says [w1!=ERROR&&w1!=WARN, w2] "matches lines containing both
    # ERROR and WARN (pattern 1)", which no reading of the pattern gives: pattern 1's first
    # word is ERROR. The pattern excludes lines whose first word is ERROR or WARN.
    Example("[w1!=ERROR&&w1!=WARN, w2]", ARCHIVED, ("INFO message",), OR_EVENTS),
]

EXAMPLES += [
    # --- the TestMetricFilter API reference: its patterns, events and matches ---
    Example(
        "[ip, identity, user_id, timestamp, request, status_code, size]", TEST_METRIC_FILTER, APACHE
    ),
    Example("[..., size]", TEST_METRIC_FILTER, APACHE),
    # "without specifying any fields": every event matches, every field is extracted
    Example("[]", TEST_METRIC_FILTER, APACHE),
    Example(
        "[..., status_code=200, size]", TEST_METRIC_FILTER, (APACHE[0], APACHE[2]), (APACHE[1],)
    ),
    Example(
        "[..., request=*.html*, status_code=4*,]",
        TEST_METRIC_FILTER,
        (HTML_4XX[0], HTML_4XX[3]),
        HTML_4XX[1:3],
    ),
    Example('"[ERROR]"', TEST_METRIC_FILTER, APP_LOG[3:], APP_LOG[:3]),
    Example('"[ERROR]" Exception', TEST_METRIC_FILTER, APP_LOG[3:4], (*APP_LOG[:3], APP_LOG[4])),
    # --- the user guide's metric filter examples ---
    Example(
        '" "',
        COUNT_EVENTS,
        ("Test event 1", "Test event 2", "This message also contains an Error"),
    ),
    Example(
        "Error",
        COUNT_TERM,
        ("This message contains an Error", "This message also contains an Error"),
        ("This message contains an error",),  # ours: "Filter Pattern ... case-sensitive"
    ),
    Example(
        "[IP, UserInfo, User, Timestamp, RequestInfo, StatusCode=404, Bytes]",
        COUNT_404,
        (BOB_404,),
        (BOB_404.replace(" 404 ", " 200 "),),
    ),
    Example(
        "[ip, id, user, timestamp, request, status_code=404, size]",
        COUNT_404,
        (BOB_404,),
        (BOB_404.replace(" 404 ", " 200 "),),
    ),
    Example("[ip, id, user, timestamp, request, status_code, size]", EXTRACT_FIELDS, APACHE_2013),
]

REJECTED = [
    # "%something!% would be rejected since '!' is not supported"
    ("%something!%", REGEX),
    # "The ( and ) operators are not supported"
    ("%(ab)+%", REGEX),
    # "Multi-byte characters are not supported"
    ("%café%", REGEX),
    # "The variables IS NOT and EXISTS currently aren't supported"
    ("{ $.SomeObject IS NOT NULL }", JSON_PAGE),
    ("{ $.SomeOtherObject EXISTS }", JSON_PAGE),
    # "You can only use up to one wildcard selector in a property selector"
    ("{ $.objectList[*].* = 1 }", JSON_PAGE),
    # "... and up to three wildcard selectors in a filter pattern with compound expressions"
    ("{ $.a[*] = 1 || $.b[*] = 1 || $.c[*] = 1 || $.d[*] = 1 }", JSON_PAGE),
    # "a limit of 2 regex for each filter pattern when creating a delimited or JSON pattern"
    ("{ $.a = %a% || $.b = %b% || $.c = %c% }", REGEX),
    ("[a = %a%, b = %b%, c = %c%]", REGEX),
    # "Strings that have unicode and other characters such as '@', '$', '\' ... must be
    # enclosed in double quotes"
    ("{ $.user.email = John.Stiles@example.com }", ARCHIVED),
    # AWS answers "Invalid filter pattern" to this example of the archived page
    # (awsdocs/amazon-cloudwatch-logs-user-guide issue 21): a condition on another field.
    ("[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]", ARCHIVED),
    # "Metric filter terms that include characters other than alphanumeric or underscore
    # must be placed inside double quotes"
    ("ERROR:", UNSTRUCTURED),
]


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{i}:{e.pattern[:40]}" for i, e in enumerate(EXAMPLES)]
)
def test_documented_example_gives_the_documented_result(example: Example) -> None:
    pattern = compile_pattern(example.pattern)
    assert [e for e in example.matches if not pattern.matches(e)] == []
    assert [e for e in example.misses if pattern.matches(e)] == []


@pytest.mark.parametrize("text, url", REJECTED, ids=[text for text, _ in REJECTED])
def test_documented_invalid_pattern_is_rejected(text: str, url: str) -> None:
    with pytest.raises(FilterPatternSyntaxError):
        compile_pattern(text)


def test_every_example_is_of_the_kind_its_first_character_says() -> None:
    kinds = {"{": PatternKind.JSON, "[": PatternKind.SPACE_DELIMITED}
    for example in EXAMPLES:
        expected = kinds.get(example.pattern[:1], PatternKind.TERMS)
        assert compile_pattern(example.pattern).kind is expected, example.pattern
