using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenCIS.Tests.Web;

/// <summary>The cycle schedule API on the demo city (today 2026-11-22): schedules, rule changes, holidays and who may change them.</summary>
public sealed class CyclesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Clerk", "PUT", "/api/billing/cycles/C1", HttpStatusCode.Forbidden },
        { "Clerk", "POST", "/api/billing/holidays", HttpStatusCode.Forbidden },
        { "Clerk", "DELETE", "/api/billing/holidays/US-Federal/2026-12-24", HttpStatusCode.Forbidden },
        { "Auditor", "PUT", "/api/billing/cycles/C1", HttpStatusCode.Forbidden },
        { "Cashier", "GET", "/api/billing/cycles/C1/schedule", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/billing/cycles/C1/schedule", HttpStatusCode.OK },
        { "Auditor", "GET", "/api/billing/holidays", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Only_supervisors_and_admins_change_cycles_and_holidays(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { date = "2026-12-24", name = "Christmas Eve", billDaysAfterRead = 1, dueDays = 21, readWindowDays = 10, holidayCalendar = "US-Federal", reason = "permission test" });
        }

        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_supervisor_adds_a_holiday_and_the_schedule_names_it_where_it_moves_a_date()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        // C2 reads on the 20th.
        (await supervisor.PutAsJsonAsync("/api/billing/cycles/C2", new { billDaysAfterRead = 1, dueDays = 21, readWindowDays = 10, holidayCalendar = "US-Federal", reason = "Read day fixed" })).EnsureSuccessStatusCode();
        var added = await supervisor.PostAsJsonAsync("/api/billing/holidays", new { date = "2026-12-21", name = "City founders' day" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        using var schedule = JsonDocument.Parse(await supervisor.GetStringAsync(new Uri("/api/billing/cycles/C2/schedule?months=3", UriKind.Relative)));
        var months = schedule.RootElement.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(3, months.Count);
        var december = months.Single(m => m.GetProperty("month").GetString() == "2026-12");
        // Sunday 20 December moves past the city's Monday holiday to Tuesday the 22nd.
        Assert.Equal("2026-12-22", december.GetProperty("readDate").GetProperty("date").GetString());
        Assert.Equal("City founders' day", december.GetProperty("readDate").GetProperty("movedBy").GetString());

        (await supervisor.DeleteAsync(new Uri("/api/billing/holidays/US-Federal/2026-12-21", UriKind.Relative))).EnsureSuccessStatusCode();
        using var after = JsonDocument.Parse(await supervisor.GetStringAsync(new Uri("/api/billing/cycles/C2/schedule?months=2", UriKind.Relative)));
        Assert.Equal("2026-12-21", after.RootElement.GetProperty("months")[1].GetProperty("readDate").GetProperty("date").GetString());
    }

    [Theory]
    [InlineData("PUT", "/api/billing/cycles/C1", "{\"billDaysAfterRead\":1,\"dueDays\":0,\"readWindowDays\":10,\"holidayCalendar\":\"US-Federal\",\"reason\":\"x\"}", "dueDays")]
    [InlineData("PUT", "/api/billing/cycles/C1", "{\"billDaysAfterRead\":1,\"dueDays\":21,\"readWindowDays\":10,\"holidayCalendar\":\"Mars\",\"reason\":\"x\"}", "holidayCalendar")]
    [InlineData("POST", "/api/billing/holidays", "{\"date\":\"2026-13-01\",\"name\":\"x\"}", "date")]
    [InlineData("POST", "/api/billing/holidays", "{\"date\":\"2026-12-28\",\"name\":\"\"}", "name")]
    [InlineData("GET", "/api/billing/cycles/C1/schedule?months=99", null, "months")]
    public async Task Bad_requests_are_problems_naming_the_field(string method, string path, string? body, string field)
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await supervisor.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }
}
