using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage.Mail;
using OpenCIS.UseCases.Mail;
using Spectre.Console;

namespace OpenCIS.Cli.Mail;

/// <summary>Customer e-mail from the command line: <c>mail send</c> sends what is due now; <c>mail list [--status S]</c> shows the newest.</summary>
public static class MailCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var mail = new Command("mail", "Customer e-mail (notices, letters): send the queue, list what went out.");

        var send = new Command("send", "Send the queued mail that is due now, through SMTP (OPENCIS_SMTP_*) or into the outbox folder.");
        send.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<SendQueuedMail>().ExecuteAsync(null, cancellationToken);
            console.WriteLine(outcome.Message);
            return outcome.Failed > 0 ? CliApp.BadInput : CliApp.Ok;
        }));
        mail.Add(send);

        var statusOption = new Option<string?>("--status") { Description = "queued, sent or failed" };
        var list = new Command("list", "The newest customer e-mail, with how its sending went.") { statusOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            MailStatus? status = null;
            if (parse.GetValue(statusOption) is { } text)
            {
                if (!Enum.TryParse<MailStatus>(text, true, out var parsed))
                {
                    console.MarkupLineInterpolated($"[red]--status '{text}' is not queued, sent or failed.[/]");
                    return CliApp.BadInput;
                }

                status = parsed;
            }

            var table = new Table().AddColumns("Id", "Queued", "To", "Subject", "Status", "Attempts", "Last error");
            foreach (var m in await services.GetRequiredService<MailQueries>().RecentAsync(status, null, 100, cancellationToken))
            {
                table.AddRow(m.Id.ToString(CultureInfo.InvariantCulture), m.QueuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Markup.Escape(m.ToAddress), Markup.Escape(m.Subject), m.Status, m.Attempts.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.LastError ?? ""));
            }

            console.Write(table);
            return CliApp.Ok;
        }));
        mail.Add(list);
        host.Root.Add(mail);
    }
}
