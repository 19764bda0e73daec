using System.Diagnostics;
using System.Text.Json;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;

namespace Cascoin.L2.Bench;

/// <summary>
/// The epoch-key DKG and threshold decryption in process (doc/encrypted-mempool.md), for each member
/// count: every member deals, checks every dealing, exposes, checks every exposure and finishes, run one member after another on one
/// thread; the time per member is the total over the members. Bytes per member: the dealing and
/// exposure it broadcasts and those it receives. Then one envelope-sized ciphertext: a decryption share
/// made, one checked, and t combined (each checked again), averaged over 20 ciphertexts; then a block
/// of 100 with one batch per member (<see cref="BatchDecryptionShare"/>), per envelope.
/// </summary>
internal sealed class DkgBenchmark : IBenchmark
{
    /// <summary>Ciphertexts the decryption figures average over.</summary>
    private const int Ciphertexts = 20;

    /// <summary>Envelopes of the block the batched figures use.</summary>
    private const int BlockEnvelopes = 100;

    public string Name => "dkg";

    public string Description => "distributed key generation and threshold decryption per member (in-process, single-threaded)";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("members", "comma-separated member counts", "4,16,64"),
    ];

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var counts = arguments.GetString("members").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.TryParse(c, out var n) && n is >= 1 and <= ThresholdKey.MaxMembers ? n : throw new BenchUsageException($"--members: '{c}' is not a count 1..{ThresholdKey.MaxMembers}"))
            .ToList();
        Run(4, progress); // warm-up: the curve tables and the JIT
        Run(4, progress);
        result.WriteStartArray("runs");
        foreach (var n in counts)
        {
            var run = Run(n, progress);
            result.WriteStartObject();
            result.WriteNumber("members", n);
            result.WriteNumber("threshold", run.Key.Threshold);
            result.WriteNumber("dkg_ms_per_member", Math.Round(run.DkgMs / n, 2));
            result.WriteNumber("deal_ms", Math.Round(run.DealMs / n, 2));
            result.WriteNumber("check_dealing_ms", Math.Round(run.CheckMs / n / n, 3));
            result.WriteNumber("exposure_ms", Math.Round(run.ExposeMs / n, 2));
            result.WriteNumber("finish_ms", Math.Round(run.FinishMs / n, 2));
            result.WriteNumber("dealing_bytes", run.DealingBytes);
            result.WriteNumber("exposure_bytes", run.ExposureBytes);
            result.WriteNumber("bytes_sent_per_member", run.DealingBytes + run.ExposureBytes);
            result.WriteNumber("bytes_received_per_member", (long)(run.DealingBytes + run.ExposureBytes) * (n - 1));
            result.WriteNumber("share_create_ms", Math.Round(run.ShareMs, 3));
            result.WriteNumber("share_verify_ms", Math.Round(run.VerifyMs, 3));
            result.WriteNumber("combine_ms", Math.Round(run.CombineMs, 3));
            result.WriteNumber("envelope_check_us", Math.Round(run.EnvelopeCheckUs, 1));
            result.WriteNumber("batch_share_us_per_envelope", Math.Round(run.BatchShareUs, 1));
            result.WriteNumber("batch_verify_us_per_envelope", Math.Round(run.BatchVerifyUs, 1));
            result.WriteNumber("batch_combine_us_per_envelope", Math.Round(run.BatchCombineUs, 1));
            result.WriteEndObject();
        }
        result.WriteEndArray();
    }

    private sealed record RunResult(ThresholdKey Key, double DkgMs, double DealMs, double CheckMs, double ExposeMs, double FinishMs, int DealingBytes, int ExposureBytes,
        double ShareMs, double VerifyMs, double CombineMs,
        double EnvelopeCheckUs, double BatchShareUs, double BatchVerifyUs, double BatchCombineUs);

    private static RunResult Run(int n, TextWriter progress)
    {
        var keys = Enumerable.Range(0, n).Select(_ => PrivateKey.Generate()).ToList();
        var publicKeys = keys.Select(k => k.PublicKey.ToArray()).ToList();
        var context = "cascoin-bench dkg"u8.ToArray();
        var threshold = ThresholdKey.ThresholdFor(n);
        var sessions = Enumerable.Range(1, n).Select(i => new DkgSession(context, publicKeys, threshold, i, keys[i - 1].ToArray())).ToList();

        var clock = Stopwatch.StartNew();
        var dealings = sessions.Select(s => DkgDealing.Decode(s.Deal().ToBytes())!).ToList();
        var dealMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        foreach (var session in sessions)
        {
            foreach (var dealing in dealings)
            {
                if (session.Receive(dealing) is { } complaint)
                    throw new InvalidOperationException($"an honest run complained: {complaint}");
            }
        }
        var checkMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var exposures = sessions.Select(s => DkgExposure.Decode((s.Expose() ?? throw new InvalidOperationException("an honest dealer did not qualify")).ToBytes())!).ToList();
        foreach (var session in sessions)
        {
            foreach (var exposure in exposures)
            {
                if (session.ReceiveExposure(exposure) is { } complaint)
                    throw new InvalidOperationException($"an honest exposure drew a complaint: {complaint}");
            }
        }
        var exposeMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var results = sessions.Select(s => s.Finish() ?? throw new InvalidOperationException("an honest run gave no key")).ToList();
        var finishMs = clock.Elapsed.TotalMilliseconds;
        if (results.Any(r => !r.Key.PublicKey.AsSpan().SequenceEqual(results[0].Key.PublicKey)))
            throw new InvalidOperationException("the members disagree on the key");
        progress.WriteLine($"dkg: {n} members, threshold {threshold}: {dealMs + checkMs + exposeMs + finishMs:F0} ms in all");

        // Transfer-sized envelope bodies (about 150 bytes), each decrypted by t members.
        var key = results[0].Key;
        var ciphertexts = Enumerable.Range(0, Ciphertexts).Select(_ => ThresholdEncryption.Encrypt(key.PublicKey, new byte[150], context)).ToList();
        clock.Restart();
        var shares = ciphertexts.Select(c => results.Take(threshold).Select(r => ThresholdEncryption.CreateShare(r.Share!, c, context)!).ToList()).ToList();
        var shareMs = clock.Elapsed.TotalMilliseconds / threshold / Ciphertexts;
        clock.Restart();
        for (var i = 0; i < Ciphertexts; i++)
        {
            if (!shares[i].TrueForAll(share => ThresholdEncryption.VerifyShare(key, ciphertexts[i], context, share)))
                throw new InvalidOperationException("an honest share does not verify");
        }
        var verifyMs = clock.Elapsed.TotalMilliseconds / threshold / Ciphertexts;
        clock.Restart();
        for (var i = 0; i < Ciphertexts; i++)
        {
            if (ThresholdEncryption.Combine(key, ciphertexts[i], context, shares[i]) is not { Length: 150 })
                throw new InvalidOperationException("t honest shares do not decrypt");
        }
        var combineMs = clock.Elapsed.TotalMilliseconds / Ciphertexts;

        // A block of envelopes with one batch (one proof) per member.
        var envelopes = Enumerable.Range(0, BlockEnvelopes).Select(_ => ThresholdEncryption.Encrypt(key.PublicKey, new byte[150], context)).ToList();
        clock.Restart();
        var block = CiphertextBatch.Of(envelopes, envelopes.Select(_ => context).ToList(), context)!;
        var batchCheckUs = clock.Elapsed.TotalMilliseconds * 1000 / BlockEnvelopes;
        clock.Restart();
        var batches = results.Take(threshold).Select(r => BatchDecryptionShare.Create(r.Share!, block)).ToList();
        var batchShareUs = clock.Elapsed.TotalMilliseconds * 1000 / threshold / BlockEnvelopes;
        clock.Restart();
        if (!batches.TrueForAll(b => BatchDecryptionShare.Verify(key, block, b)))
            throw new InvalidOperationException("an honest batch does not verify");
        var batchVerifyUs = clock.Elapsed.TotalMilliseconds * 1000 / threshold / BlockEnvelopes;
        clock.Restart();
        if (BatchDecryptionShare.Combine(key, block, batches) is not { } opened || opened.Any(p => p is not { Length: 150 }))
            throw new InvalidOperationException("t honest batches do not decrypt the block");
        var batchCombineUs = clock.Elapsed.TotalMilliseconds * 1000 / BlockEnvelopes;
        return new RunResult(key, dealMs + checkMs + exposeMs + finishMs, dealMs, checkMs, exposeMs, finishMs, dealings[0].ToBytes().Length, exposures[0].ToBytes().Length,
            shareMs, verifyMs, combineMs,
            batchCheckUs, batchShareUs, batchVerifyUs, batchCombineUs);
    }
}
