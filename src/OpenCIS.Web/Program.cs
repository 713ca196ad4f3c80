using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using OpenCIS.Storage;
using OpenCIS.Web;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Health;
using OpenCIS.Web.Observability;
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

// Outside demo mode the host is a production host: HTTPS only (behind the documented proxy), Secure cookies, HSTS,
// and an encryption key from the environment. The demo serves plain HTTP on localhost.
var production = !string.Equals(builder.Configuration["OPENCIS_DEMO"], "true", StringComparison.OrdinalIgnoreCase);

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
    new AssistanceCapability(),
    new InvoicesCapability(),
    new BankruptcyCapability(),
    new PursuitCapability(),
    new LienCapability(),
    new CampaignCapability(),
    new ReportsCapability(),
    new MailCapability(),
    new CollectionsCapability(),
    new CasesCapability(),
    new ServiceOrdersCapability(),
    new JobsCapability(),
    new UsersCapability(),
    new PortalCapability(),
];

builder.Services.AddOpenCisUseCases();
// Long work (billing runs, the ACH file) runs as jobs on a persistent, recoverable schedule in this host.
builder.Services.AddOpenCisJobs(builder.Configuration);
// Users, roles, the password policy and lockout are the use cases' (UsersUseCases); the host adds sign-in and its cookie.
builder.Services.AddIdentity<IdentityUser, IdentityRole>()
    .AddEntityFrameworkStores<OpenCisDbContext>()
    .AddDefaultTokenProviders();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/Login";
    options.AccessDeniedPath = "/AccessDenied";
    options.Cookie.Name = "opencis";
    options.Cookie.HttpOnly = true;
    options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.SlidingExpiration = true;
    options.ExpireTimeSpan = TimeSpan.FromHours(10);
    // The API answers 401 and 403; only the screens redirect to the login page.
    options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
    options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
});
// Other city systems call the API with keys scoped to permissions, kept apart from staff cookies.
builder.Services.AddApiKeyAuthentication();
builder.Services.AddCapabilityPolicies(capabilities);
// Customers sign in to the portal with a scheme and cookie of their own; its pages take only that scheme.
builder.Services.AddPortalAuthentication(production);
builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/Portal", PortalAuthentication.Policy));
builder.AddOpenCisObservability();
builder.Services.AddOpenCisHealthChecks();
builder.Services.AddOpenApi();
builder.Services.AddAntiforgery(options =>
{
    options.HeaderName = "RequestVerificationToken";
    options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
});
// Signing out renews the user's security stamp, and every request checks it: a cookie from before is dead at once.
// (Any negative interval means every request, even on a clock that stands still, as the tests' and a demo's may.)
builder.Services.Configure<SecurityStampValidatorOptions>(options =>
{
    options.ValidationInterval = TimeSpan.MinValue;
    // The principal is rebuilt from the store on each check: keep the mark of a second-factor sign-in on it.
    options.OnRefreshingPrincipal = context =>
    {
        if (context.CurrentPrincipal?.FindFirst("amr") is { } amr && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity && !identity.HasClaim("amr", amr.Value))
        {
            identity.AddClaim(new System.Security.Claims.Claim("amr", amr.Value));
        }

        return Task.CompletedTask;
    };
});
builder.Services.AddExceptionHandler<StorageUnavailableHandler>();
// Behind a reverse proxy: the client's address and scheme come from X-Forwarded-For and -Proto, trusted only from
// loopback and the addresses in OPENCIS_TRUSTED_PROXIES (comma-separated).
builder.Services.Configure<ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
    foreach (var proxy in (builder.Configuration["OPENCIS_TRUSTED_PROXIES"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        options.KnownProxies.Add(IPAddress.Parse(proxy));
    }
});
builder.Services.AddHsts(options =>
{
    options.MaxAge = TimeSpan.FromDays(365);
    // Production mode is HTTPS wherever it runs, a host named localhost included.
    options.ExcludedHosts.Clear();
});
// Sign-in attempts are throttled per client address (after lockout, which is per user).
var signInsPerMinute = int.TryParse(builder.Configuration["OPENCIS_SIGNIN_ATTEMPTS_PER_MINUTE"], out var attempts) ? attempts : 10;
builder.Services.AddRateLimiter(options =>
{
    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    options.AddPolicy(OpenCIS.Web.Pages.LoginModel.RateLimit, context => HttpMethods.IsPost(context.Request.Method)
        ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
        : RateLimitPartition.GetNoLimiter("pages"));
    // The portal's sign-in, sign-up and password-reset forms, throttled the same way.
    options.AddPolicy(PortalAuthentication.RateLimit, context => HttpMethods.IsPost(context.Request.Method)
        ? RateLimitPartition.GetFixedWindowLimiter("portal:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
        : RateLimitPartition.GetNoLimiter("portal-pages"));
    options.OnRejected = async (context, cancellationToken) =>
    {
        context.HttpContext.Response.Headers.RetryAfter = "60";
        context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        await context.HttpContext.Response.WriteAsync(context.HttpContext.Request.Path.StartsWithSegments("/portal")
            ? OpenCIS.UseCases.Portal.PortalText.Get(PortalAuthentication.Language(context.HttpContext), "ErrorTooMany")
            : "Too many sign-in attempts from this address; wait a minute and try again.", cancellationToken);
    };
});

var app = builder.Build();

if (production && OpenCIS.UseCases.Encryption.FieldProtector.RequireConfiguredKey(app.Configuration) is { } keyProblem)
{
    Console.Error.WriteLine(keyProblem);
    return 1;
}

if (!await StartupTasks.RunAsync(app.Services, app.Configuration, Console.Out))
{
    return 1;
}

app.UseForwardedHeaders();
app.UseCorrelationId();
app.UseExceptionHandler();
if (production)
{
    app.UseHsts();
    app.UseRequireHttps(app.Configuration);
}

app.UseSecurityHeaders();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseApiKeyUseLog();
app.UseAuthentication();
app.UseSignInRequirements(app.Configuration);
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
app.MapOpenCisHealth();
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
