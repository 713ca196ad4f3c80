using Microsoft.AspNetCore.Identity;
using OpenCIS.Storage;
using OpenCIS.Web;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;
using OpenCIS.UseCases;

// "--demo" (or OPENCIS_DEMO=true) serves the demo city: demo users, and 2,000 seeded accounts on first start.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo)
{
    builder.Configuration["OPENCIS_DEMO"] = "true";
}

// The capabilities, one line each: a capability brings its permissions and API endpoints (its screens
// are under Pages/, its use cases registered by AddOpenCisUseCases).
IWebCapability[] capabilities =
[
    new CustomersCapability(),
    new MeteringCapability(),
    new RatingCapability(),
    new BillingCapability(),
    new LedgerCapability(),
    new PaymentsCapability(),
    new ReceivablesCapability(),
    new DepositsCapability(),
    new ReportsCapability(),
    new MailCapability(),
    new CollectionsCapability(),
    new CasesCapability(),
    new ServiceOrdersCapability(),
    new JobsCapability(),
];

builder.Services.AddOpenCisUseCases();
// Long work (billing runs, the ACH file) runs as jobs on a persistent, recoverable schedule in this host.
builder.Services.AddOpenCisJobs(builder.Configuration);
builder.Services.AddIdentity<IdentityUser, IdentityRole>(options =>
    {
        options.Password.RequiredLength = 12;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireDigit = false;
        options.Lockout.MaxFailedAccessAttempts = 10;
        options.User.RequireUniqueEmail = false;
    })
    .AddEntityFrameworkStores<OpenCisDbContext>();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/Login";
    options.AccessDeniedPath = "/AccessDenied";
    options.Cookie.Name = "opencis";
    options.Cookie.HttpOnly = true;
    options.SlidingExpiration = true;
    options.ExpireTimeSpan = TimeSpan.FromHours(10);
    // The API answers 401 and 403; only the screens redirect to the login page.
    options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
    options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
});
builder.Services.AddCapabilityPolicies(capabilities);
builder.Services.AddRazorPages();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");

var app = builder.Build();

if (!await StartupTasks.RunAsync(app.Services, app.Configuration, Console.Out))
{
    return 1;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
var api = app.MapGroup("/api").AddEndpointFilter<CrossSiteRequestFilter>().AddEndpointFilter<DomainExceptionFilter>().AddEndpointFilter<DateBoundsFilter>().DisableAntiforgery();
api.MapCapabilityEndpoints(capabilities);
app.MapRazorPages();

await app.RunAsync();
return 0;

static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int statusCode)
{
    if (context.Request.Path.StartsWithSegments("/api") || context.Request.Headers.ContainsKey("HX-Request"))
    {
        context.Response.StatusCode = statusCode;
        return Task.CompletedTask;
    }

    context.Response.Redirect(context.RedirectUri);
    return Task.CompletedTask;
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
