import Foundation
import SwitchboardPostgREST
import Testing

@Suite struct PostgRESTTimestampTests {
    @Test(arguments: [
        // The shapes PostgreSQL's to_json writes (§1.8): 0 to 6 fractional digits, an offset.
        ("2024-05-01T12:34:56.789123+00:00", 1_714_566_896.789123),
        ("2024-05-01T12:34:56+00:00", 1_714_566_896),
        ("2024-05-01T12:34:56.5+00", 1_714_566_896.5),
        ("2024-05-01T14:34:56+02:00", 1_714_566_896),
        ("2024-05-01T07:04:56-05:30", 1_714_566_896),
        ("2024-05-01 12:34:56Z", 1_714_566_896),
        ("1969-12-31T23:59:59.5Z", -0.5),
        ("2000-02-29T00:00:00Z", 951_782_400),
    ])
    func parsesPostgreSQLShapes(text: String, seconds: Double) throws {
        let date = try #require(PostgRESTTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001, "\(text)")
    }

    @Test(arguments: [
        "", "2024-05-01", "2024-05-01T12:34:56", "2024-13-01T00:00:00Z", "2024-05-01T12:34:56.Z", "2024-05-01T12:34:56Zjunk", "abcd-05-01T00:00:00Z",
    ])
    func refusesWhatIsNotATimestamp(text: String) {
        #expect(PostgRESTTimestamp.parse(text) == nil, "\(text)")
    }

    @Test func formatsUTCWithMicroseconds() {
        #expect(PostgRESTTimestamp.format(Date(timeIntervalSince1970: 1_750_000_000)) == "2025-06-15T15:06:40.000000Z")
        #expect(PostgRESTTimestamp.format(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750000Z")
        #expect(PostgRESTTimestamp.format(Date(timeIntervalSince1970: 951_782_400.000_001)) == "2000-02-29T00:00:00.000001Z")
    }

    @Test func roundTripsToTheMicrosecond() throws {
        for seconds in stride(from: -86_400.0 * 800, to: 86_400.0 * 365 * 90, by: 86_400 * 37.123_457) {
            let date = Date(timeIntervalSince1970: seconds)
            let back = try #require(PostgRESTTimestamp.parse(PostgRESTTimestamp.format(date)))
            #expect(abs(back.timeIntervalSince1970 - seconds) <= 0.000_001, "\(seconds)")
        }
    }

    @Test func agreesWithFoundationOnCalendarDates() throws {
        // An independent calendar: Foundation's Gregorian calendar in UTC.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for (year, month, day) in [(1970, 1, 1), (1999, 12, 31), (2000, 3, 1), (2024, 2, 29), (2100, 3, 1), (1900, 2, 28)] {
            let expected = try #require(calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 6, minute: 7, second: 8)))
            let text = String(format: "%04d-%02d-%02dT06:07:08Z", year, month, day)
            #expect(PostgRESTTimestamp.parse(text) == expected, "\(text)")
            #expect(PostgRESTTimestamp.format(expected) == String(format: "%04d-%02d-%02dT06:07:08.000000Z", year, month, day))
        }
    }
}
