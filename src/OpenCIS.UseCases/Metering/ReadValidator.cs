using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

/// <summary>A read about to be judged: which meter, when, what it says; and, when it is already stored, its id.</summary>
public readonly record struct ReadToJudge(Meter Meter, long ServicePointId, DateOnly ReadOn, long Reading, DeviceFlags Flags, ReadSource Source, long ReadId = 0);

/// <summary>
/// Loads, in a few queries, what validation needs to judge a batch of reads (each meter's recent
/// reads, its service point's state and its cycle's read window), then judges every read with the
/// core <see cref="ReadValidation"/>. Reads of one meter are judged in date order, each becoming the
/// prior read of the next when it is billable.
/// </summary>
public sealed class ReadValidator(OpenCisDbContext db)
{
    /// <summary>How far back history is read to find the prior read and the average daily use.</summary>
    public const int HistoryDays = 400;

    public ValidationThresholds Thresholds { get; init; } = ValidationThresholds.Default;

    /// <summary>How many meters are judged at once; all cores unless a caller keeps some for other work.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public async Task<IReadOnlyList<(ReadToJudge Read, ReadVerdict Verdict)>> JudgeAsync(IReadOnlyList<ReadToJudge> reads, IReadOnlyCollection<long>? excludeReadIds = null, CancellationToken cancellationToken = default)
    {
        if (reads.Count == 0)
        {
            return [];
        }

        var batch = await PrepareAsync(reads, excludeReadIds, cancellationToken);
        batch.JudgeGroups(0, batch.Groups.Count, cancellationToken);
        return batch.Results;
    }

    /// <summary>
    /// Judges reads as <see cref="JudgeAsync"/> does, but hands them to <paramref name="consume"/> a
    /// chunk at a time, in meter order, while the next chunk is judged on the other cores: an import
    /// writes one chunk while validation works on the next. Chunks end at meter boundaries; each is at
    /// least <paramref name="chunkSize"/> reads but the last.
    /// </summary>
    public async Task JudgeInChunksAsync(IReadOnlyList<ReadToJudge> reads, int chunkSize, Func<ArraySegment<(ReadToJudge Read, ReadVerdict Verdict)>, CancellationToken, Task> consume, CancellationToken cancellationToken = default)
    {
        if (reads.Count == 0)
        {
            return;
        }

        var batch = await PrepareAsync(reads, null, cancellationToken);
        var blocks = new List<(int FirstGroup, int EndGroup)>();
        for (int group = 0, reached = 0, first = 0; group < batch.Groups.Count; group++)
        {
            reached += batch.Groups[group].Count;
            if (reached >= chunkSize || group == batch.Groups.Count - 1)
            {
                blocks.Add((first, group + 1));
                (first, reached) = (group + 1, 0);
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var judged = System.Threading.Channels.Channel.CreateBounded<ArraySegment<(ReadToJudge, ReadVerdict)>>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var (firstGroup, endGroup) in blocks)
                {
                    batch.JudgeGroups(firstGroup, endGroup, stop.Token);
                    var start = batch.Groups[firstGroup].Start;
                    var end = batch.Groups[endGroup - 1].Start + batch.Groups[endGroup - 1].Count;
                    await judged.Writer.WriteAsync(new ArraySegment<(ReadToJudge, ReadVerdict)>(batch.Results, start, end - start), stop.Token);
                }

                judged.Writer.Complete();
            }
            catch (Exception exception)
            {
                judged.Writer.Complete(exception);
            }
        }, stop.Token);

        try
        {
            await foreach (var chunk in judged.Reader.ReadAllAsync(cancellationToken))
            {
                await consume(chunk, cancellationToken);
                // Written reads need not stay in memory.
                Array.Clear(batch.Results, chunk.Offset, chunk.Count);
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
                // The consumer failed or the caller cancelled; that exception is the one to report.
            }
        }
    }

    /// <summary>Loads, in a few queries, what judging the reads needs; the judging itself then touches no database.</summary>
    private async Task<Batch> PrepareAsync(IReadOnlyList<ReadToJudge> reads, IReadOnlyCollection<long>? excludeReadIds, CancellationToken cancellationToken)
    {
        var meterIds = reads.Select(r => r.Meter.Id).Distinct().ToList();
        var servicePointIds = reads.Select(r => r.ServicePointId).Distinct().ToList();
        var since = reads.Min(r => r.ReadOn).AddDays(-HistoryDays);
        var history = (await db.Reads.AsNoTracking()
                .Where(r => meterIds.Contains(r.MeterId) && r.ReadOn >= since)
                .Select(r => new { r.Id, r.MeterId, r.ReadOn, r.Reading, r.Status, r.Source })
                .ToListAsync(cancellationToken))
            .Where(r => excludeReadIds is null || !excludeReadIds.Contains(r.Id))
            .GroupBy(r => r.MeterId)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.ReadOn).Select(r => new HistoryRead(r.ReadOn, r.Reading, r.Status, r.Source)).ToList());
        var states = await db.ServicePoints.AsNoTracking().Where(p => servicePointIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.State, cancellationToken);
        var cycles = (await db.ServiceAgreements.AsNoTracking()
                .Where(a => servicePointIds.Contains(a.ServicePointId) && a.EndedOn == null)
                .Join(db.Accounts, a => a.AccountId, account => account.Id, (a, account) => new { a.ServicePointId, account.CycleCode })
                .Join(db.BillingCycles, x => x.CycleCode, c => c.Code, (x, c) => new { x.ServicePointId, c.ReadDayOfMonth, c.ReadWindowDays })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.ServicePointId)
            .ToDictionary(g => g.Key, g => (g.First().ReadDayOfMonth, g.First().ReadWindowDays));

        // Each meter's reads are judged in date order against that meter's own history, so meters are
        // independent of one another and are spread over the machine's cores.
        var ordered = InMeterAndDateOrder(reads) ? reads.ToArray() : reads.OrderBy(r => r.Meter.Id).ThenBy(r => r.ReadOn).ToArray();
        var groups = new List<(int Start, int Count)>();
        for (var start = 0; start < ordered.Length;)
        {
            var end = start;
            while (end < ordered.Length && ordered[end].Meter.Id == ordered[start].Meter.Id)
            {
                end++;
            }

            groups.Add((start, end - start));
            start = end;
        }

        return new Batch(ordered, groups, history, states, cycles, Thresholds, Parallelism);
    }

    /// <summary>Whether each meter's reads already come together and in date order (as most files have them), so need no sorting.</summary>
    private static bool InMeterAndDateOrder(IReadOnlyList<ReadToJudge> reads)
    {
        var seen = new HashSet<long>();
        for (var i = 0; i < reads.Count; i++)
        {
            var sameMeter = i > 0 && reads[i].Meter.Id == reads[i - 1].Meter.Id;
            if (sameMeter ? reads[i].ReadOn < reads[i - 1].ReadOn : !seen.Add(reads[i].Meter.Id))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads in meter and date order, what is known of their meters, and the verdicts as they are reached.</summary>
    private sealed class Batch(
        ReadToJudge[] ordered,
        List<(int Start, int Count)> groups,
        Dictionary<long, List<HistoryRead>> history,
        Dictionary<long, ServicePointState> states,
        Dictionary<long, (int ReadDayOfMonth, int ReadWindowDays)> cycles,
        ValidationThresholds thresholds,
        int parallelism)
    {
        public List<(int Start, int Count)> Groups { get; } = groups;

        public (ReadToJudge Read, ReadVerdict Verdict)[] Results { get; } = new (ReadToJudge, ReadVerdict)[ordered.Length];

        public void JudgeGroups(int firstGroup, int endGroup, CancellationToken cancellationToken)
        {
            if (parallelism > 1)
            {
                Parallel.For(firstGroup, endGroup, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, g => JudgeGroup(Groups[g]));
                return;
            }

            for (var group = firstGroup; group < endGroup; group++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                JudgeGroup(Groups[group]);
            }
        }

        private void JudgeGroup((int Start, int Count) group)
        {
            var first = ordered[group.Start];
            var register = first.Meter.Register;
            var meterHistory = new MeterHistory(register, history.GetValueOrDefault(first.Meter.Id) ?? []);
            for (var i = group.Start; i < group.Start + group.Count; i++)
            {
                var read = ordered[i];
                var (prior, average, consecutiveEstimates, duplicate) = meterHistory.Before(read.ReadOn);
                // AMI meters report every day; only a cycle read someone goes out to take has a window to keep. A field
                // read (a move-in, a re-read, a disconnect) is taken on its order's day, whenever that falls.
                var window = read.Source is not (ReadSource.Ami or ReadSource.Field) && cycles.TryGetValue(read.ServicePointId, out var cycle) ? ReadWindow(read.ReadOn, cycle.ReadDayOfMonth, cycle.ReadWindowDays) : ((DateOnly, DateOnly)?)null;
                var candidate = new ReadCandidate(
                    register,
                    read.Reading,
                    read.ReadOn,
                    read.Flags,
                    prior is { } last ? new PriorRead(last.Reading, last.ReadOn) : null,
                    states.GetValueOrDefault(read.ServicePointId, ServicePointState.ActiveOccupied),
                    average,
                    consecutiveEstimates,
                    window?.Item1,
                    window?.Item2,
                    duplicate,
                    read.Meter.SetOn);
                var verdict = ReadValidation.Judge(candidate, thresholds);
                Results[i] = (read, verdict);
                meterHistory.Add(new HistoryRead(read.ReadOn, read.Reading, verdict.Status, read.Source));
            }
        }
    }

    /// <summary>
    /// A cycle is read around its read day: a read is in the window from <paramref name="windowDays"/>
    /// days before the nearest scheduled read day to two days after it.
    /// </summary>
    public static (DateOnly Start, DateOnly End) ReadWindow(DateOnly readOn, int readDayOfMonth, int windowDays)
    {
        DateOnly Scheduled(DateOnly month) => new(month.Year, month.Month, Math.Min(readDayOfMonth, DateTime.DaysInMonth(month.Year, month.Month)));
        var first = new DateOnly(readOn.Year, readOn.Month, 1);
        var nearest = new[] { Scheduled(first.AddMonths(-1)), Scheduled(first), Scheduled(first.AddMonths(1)) }
            .OrderBy(d => Math.Abs(d.DayNumber - readOn.DayNumber)).First();
        return (nearest.AddDays(-windowDays + 1), nearest.AddDays(2));
    }

    private readonly record struct HistoryRead(DateOnly ReadOn, long Reading, ReadStatus Status, ReadSource Source);

    /// <summary>
    /// One meter's reads so far, kept so that judging the next read in date order costs the same
    /// however long the history: the last billable read, a running total of use for the average,
    /// the run of estimates and the dates already read. A read older than the newest one falls back
    /// to scanning the history.
    /// </summary>
    private sealed class MeterHistory
    {
        private readonly MeterRegister register;
        private readonly List<HistoryRead> all;
        private HistoryRead? firstBillable;
        private HistoryRead? lastBillable;
        private decimal billableUsage;
        private bool usageBroken;
        private int trailingEstimates;

        public MeterHistory(MeterRegister register, List<HistoryRead> history)
        {
            this.register = register;
            all = [];
            foreach (var read in history.OrderBy(h => h.ReadOn))
            {
                Add(read);
            }
        }

        public (HistoryRead? Prior, decimal? AverageDailyUse, int ConsecutiveEstimates, bool Duplicate) Before(DateOnly readOn)
        {
            if (all.Count == 0 || readOn > all[^1].ReadOn)
            {
                // After every read so far: no duplicate, and the running figures hold.
                return (lastBillable, Average(), trailingEstimates, false);
            }

            var duplicate = all.Exists(h => h.ReadOn == readOn && h.Status != ReadStatus.Rejected);

            // Out of order: compute from the history before this date.
            var billable = all.Where(h => h.ReadOn < readOn && ReadStatuses.IsBillable(h.Status)).ToList();
            decimal? average = null;
            if (billable.Count >= 2)
            {
                decimal total = 0m;
                var broken = false;
                for (var i = 1; i < billable.Count && !broken; i++)
                {
                    var usage = ConsumptionCalculator.Calculate(register, billable[i - 1].Reading, billable[i].Reading).Usage;
                    broken = usage is null;
                    total += usage?.Value ?? 0m;
                }

                var days = billable[^1].ReadOn.DayNumber - billable[0].ReadOn.DayNumber;
                average = !broken && days >= 20 ? total / days : null;
            }

            var estimates = billable.AsEnumerable().Reverse().TakeWhile(h => h.Source == ReadSource.Estimate).Count();
            return (billable.Count > 0 ? billable[^1] : null, average, estimates, duplicate);
        }

        public void Add(HistoryRead read)
        {
            var inOrder = all.Count == 0 || read.ReadOn >= all[^1].ReadOn;
            all.Add(read);
            if (!inOrder)
            {
                all.Sort((a, b) => a.ReadOn.CompareTo(b.ReadOn));
                Recount();
                return;
            }

            Count(read);
        }

        private void Recount()
        {
            (firstBillable, lastBillable, billableUsage, usageBroken, trailingEstimates) = (null, null, 0m, false, 0);
            foreach (var read in all)
            {
                Count(read);
            }
        }

        private void Count(HistoryRead read)
        {
            if (!ReadStatuses.IsBillable(read.Status))
            {
                return;
            }

            if (lastBillable is { } last)
            {
                var usage = ConsumptionCalculator.Calculate(register, last.Reading, read.Reading).Usage;
                usageBroken |= usage is null;
                billableUsage += usage?.Value ?? 0m;
            }

            firstBillable ??= read;
            lastBillable = read;
            trailingEstimates = read.Source == ReadSource.Estimate ? trailingEstimates + 1 : 0;
        }

        private decimal? Average()
        {
            if (firstBillable is not { } first || lastBillable is not { } last || usageBroken)
            {
                return null;
            }

            var days = last.ReadOn.DayNumber - first.ReadOn.DayNumber;
            return days >= 20 ? billableUsage / days : null;
        }
    }
}
