using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>What an honest host re-broadcasts, every <see cref="ConsensusSimulation.ResendInterval"/>.</summary>
internal enum HostGossip
{
    /// <summary>Only what <see cref="HeightConsensus.Resend"/> returns (this node's messages of the current round).</summary>
    ResendOnly,

    /// <summary>
    /// That, and every five intervals what the production engine repairs: what it signed and what it
    /// received (each signer's first message of a round and step, and every vote of a value that has
    /// 2/3 of the weight) in the rounds <see cref="HeightConsensus.RoundsToRepair"/> names. This is
    /// what Tendermint's gossip assumption asks: a message a correct node holds reaches every correct node.
    /// </summary>
    Relay,
}

/// <summary>
/// One deterministic run (VOPR style) of a 4–7 node stake-weighted set deciding heights 1..H with
/// <see cref="HeightConsensus"/>: a virtual clock, one event queue, one <see cref="System.Random"/>
/// seeded from the case's seed and nothing else (no wall clock, threads or tasks; dictionaries are
/// only looked up, never iterated where order matters), so a seed replays exactly.
/// </summary>
internal sealed partial class ConsensusSimulation
{
    public const long ResendInterval = 200;

    /// <summary>Every honest node must have decided every height this long after GST.</summary>
    public const long LivenessWindow = 60_000;

    /// <summary>A height decided after GST decides within this many rounds of the highest round an honest node was in at GST.</summary>
    public const int MaxRoundsAfterGst = 16;

    public static readonly BftTimeouts Timeouts = new(
        TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(125), TimeSpan.FromMilliseconds(125));

    private readonly Dictionary<Address, int> _indexOf = [];
    private readonly HonestNode?[] _honest;
    private readonly ByzantineNode?[] _byzantine;

    public ConsensusSimulation(int seed, HostGossip gossip = HostGossip.ResendOnly, int traceCapacity = 60)
    {
        Seed = seed;
        Gossip = gossip;
        Trace = new TraceRing(traceCapacity);
        Random = new Random(seed);
        Scenario = SimulationScenario.Generate(Random);
        var n = Scenario.NodeCount;
        var addresses = new List<Address>();
        while (addresses.Count < n)
        {
            var bytes = new byte[Address.Size];
            Random.NextBytes(bytes);
            var address = new Address(bytes);
            if (!addresses.Contains(address))
                addresses.Add(address);
        }
        addresses.Sort();
        Addresses = addresses;
        var weights = new Dictionary<Address, UInt128>();
        for (var i = 0; i < n; i++)
        {
            weights[addresses[i]] = Scenario.Stakes[i];
            _indexOf[addresses[i]] = i;
        }
        Weights = weights;
        TotalWeight = Scenario.Stakes.Aggregate(UInt128.Zero, (sum, s) => sum + s);
        Values = new ValueBook(Random);
        Network = new SimulatedNetwork(Queue, Random, Scenario.Faults, n);
        _honest = new HonestNode?[n];
        _byzantine = new ByzantineNode?[n];
        for (var i = 0; i < n; i++)
        {
            if (Scenario.Byzantine[i])
                _byzantine[i] = new ByzantineNode(this, i, addresses[i], Scenario.Silent[i]);
            else
                _honest[i] = new HonestNode(this, i, addresses[i]);
        }
        HonestNodes = _honest.OfType<HonestNode>().ToList();
        ByzantineNodes = _byzantine.OfType<ByzantineNode>().ToList();
    }

    public int Seed { get; }

    public HostGossip Gossip { get; }

    public Random Random { get; }

    public SimulationScenario Scenario { get; }

    public EventQueue Queue { get; } = new();

    public TraceRing Trace { get; }

    public SignatureLog Log { get; } = new();

    public ValueBook Values { get; }

    public SimulatedNetwork Network { get; }

    /// <summary>The set in byte order; node i is Addresses[i].</summary>
    public IReadOnlyList<Address> Addresses { get; }

    public IReadOnlyDictionary<Address, UInt128> Weights { get; }

    public UInt128 TotalWeight { get; }

    public int NodeCount => Scenario.NodeCount;

    public long Gst => Scenario.Faults.Gst;

    public IReadOnlyList<HonestNode> HonestNodes { get; }

    public IReadOnlyList<ByzantineNode> ByzantineNodes { get; }

    public bool Stopped { get; private set; }

    public static SimulationResult RunSeed(int seed, HostGossip gossip = HostGossip.ResendOnly) => new ConsensusSimulation(seed, gossip).Run();

    /// <summary>Round-robin over the sorted set, shifted by the height: the same on every node.</summary>
    public Address ProposerOf(ulong height, int round) => Addresses[(int)((height + (ulong)round) % (ulong)Addresses.Count)];

    public int IndexOf(Address address) => _indexOf.TryGetValue(address, out var i) ? i : -1;

    /// <summary>How long an honest proposer takes to build a block: usually quick, sometimes slow, now and then too late for its round.</summary>
    public long BuildDelay() => Random.Next(100) switch
    {
        < 85 => Random.Next(1, 150),
        < 97 => Random.Next(150, 900),
        _ => Random.Next(1_200, 3_000),
    };

    public SimulationResult Run()
    {
        foreach (var node in HonestNodes)
            node.Boot();
        foreach (var node in ByzantineNodes.Where(b => !b.Silent))
            Queue.At(Random.Next(0, 300), new ByzantineTick(node.Index));
        if (Scenario.Faults.Partitions)
            Queue.At(Random.Next(0, 2_000), new PartitionChange());
        foreach (var crash in Scenario.Crashes)
        {
            Queue.At(crash.CrashAt, new CrashNode(crash.Node));
            Queue.At(crash.RestartAt, new RestartNode(crash.Node));
        }
        Queue.At(Gst, new GlobalStabilization());
        var deadline = Gst + LivenessWindow;
        while (!Stopped && _finished < HonestNodes.Count && Queue.TryNext(out var next))
        {
            if (Queue.Now > deadline)
                break;
            Trace.Add(Queue.Now, next);
            try
            {
                Dispatch(next);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Fail($"exception in the state machine or the host: {exception}");
            }
        }
        return Conclude();
    }

    private void Dispatch(SimEvent simEvent)
    {
        switch (simEvent)
        {
            case Delivery delivery:
                _honest[delivery.To]?.Receive(delivery.From, delivery.Message);
                break;
            case TimerFired timer:
                _honest[timer.Node]!.OnTimer(timer);
                break;
            case BlockReady ready:
                _honest[ready.Node]!.OnBlockReady(ready);
                break;
            case ResendTick tick:
                _honest[tick.Node]!.OnResendTick(tick);
                break;
            case ByzantineTick tick:
                _byzantine[tick.Node]!.OnTick();
                break;
            case CrashNode crash when !_honest[crash.Node]!.Crashed:
                _honest[crash.Node]!.Crash();
                break;
            case RestartNode restart when _honest[restart.Node]!.Crashed:
                _honest[restart.Node]!.Boot();
                break;
            case PartitionChange:
                Trace.Add(Queue.Now, new PartitionNote(Network.Repartition(Random.Next(3) != 0)));
                if (Queue.Now < Gst)
                    Queue.After(Random.Next(1_000, 5_000), simEvent);
                break;
            case GlobalStabilization:
                Network.Repartition(false);
                SnapshotRoundsAtGst();
                break;
        }
    }
}
