/**
 * The firewall rule classifier: {@link io.opensase.classifiers.acl.AclClassifier} compiles an ordered list of
 * {@link io.opensase.classifiers.acl.AclRule}s (first match wins) into immutable tables, off the packet path;
 * workers then classify bursts with no allocation, no locking and no logging.
 *
 * <h2>Algorithm, and the measurements that chose it</h2>
 * Recursive Flow Classification (P. Gupta and N. McKeown, "Packet Classification on Multiple Fields",
 * SIGCOMM 1999) run over rule groups. RFC alone reads a fixed handful of tables per packet with no
 * data-dependent branch, which suits a JIT and lets a burst's reads overlap, but its cross-product tables
 * blow up on rule sets whose source and destination prefixes overlap. Counting equivalence classes on the
 * shared ClassBench sets (before writing any classifier) showed it: for {@code fw1_10k}, 3,414 source and
 * 6,668 destination classes make 22.8M {@code src x dst} cells holding 8.8M distinct classes, which times
 * 572 port/protocol classes is 5 billion final cells. Splitting the rules by whether each prefix is shorter
 * than /16 (the four categories of CutSplit: W. Li, X. Li, H. Li and G. Xie, "CutSplit: A Decision-Tree
 * Combining Cutting and Splitting for Scalable Packet Classification", INFOCOM 2018) cut {@code fw1_10k}'s
 * largest {@code src x dst} table to 0.97M cells, and every 10k set's to at most 12.6M. A group whose table
 * would still pass the cell budget (4M cells) is split in two by priority, as EffiCuts separates rules into
 * trees (B. Vamanan, G. Voskuilen and T. N. Vijaykumar, "EffiCuts", SIGCOMM 2010); a set that fits the
 * budget whole is one group. The alternatives weighed were rte_acl's byte-wise DFA (about 900 MB on
 * {@code fw1_10k}: the same cross-product growth, split into tries) and decision trees (HiCuts, HyperCuts,
 * CutSplit), whose per-packet walk of 10 to 40 dependent nodes plus a leaf scan is branchy; BENCHMARKS.md has
 * the figures of the chosen design against {@code dpdk-test-acl}.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>Fields: source and destination address (128-bit space; IPv4 in its top 32 bits), source and
 *       destination port, protocol with direction (10 bits), and, only when a rule needs it, an extras
 *       field (TCP flags for TCP, ICMP type and code for ICMP/ICMPv6; a rule using it names its protocol
 *       exactly, so the value's meaning is never ambiguous).</li>
 *   <li>Phase 0, shared by all groups: each field's value to its elementary interval (between consecutive
 *       rule boundaries): a 16-8-8 multibit trie for addresses, read branch-free for IPv4; direct
 *       {@code char} tables for the others. Then an interleaved map per field gives the interval's class in
 *       every group ({@code interval * groups + g}), so one cache line serves all groups.</li>
 *   <li>Per group: {@code ports = sport x dport}, {@code pp = ports x proto} ({@code x extras}),
 *       {@code sd = src x dst}, {@code final = sd x pp}; the final cell is the first matching rule's global
 *       index. A group's tables live in one {@code int[]} of its own whose cells hold offsets into it already
 *       multiplied by the next table's width: a stage is an add and a load. Each group's array is filled
 *       as the group is built and kept only once (no second, combined copy), so the heap holds the
 *       compiled tables once.</li>
 *   <li>Build memory: a group that cannot fit the budget is refused after counting its address classes by
 *       hash, before their rule lists are stored (on {@code fw1_10k} the refused whole-set attempt alone
 *       used to allocate about 120 MB); the address tries are sized by a counting pass, not grown.</li>
 *   <li>Build prunes each class's rule list after its first "terminal" rule (one matching every field not
 *       yet combined), since no later rule can be first there; this keeps classes few for firewall sets
 *       whose tails are wildcards.</li>
 *   <li>After the split, the two smallest groups are merged while their union fits the budget and holds at
 *       most 512 rules: every group whose first rule is ahead of a packet's best match costs that packet a
 *       visit, and the category split leaves small groups behind ({@code ipc1_1k}: 736, 137, 93 and 8 rules
 *       become 736 and 238, 2.2 visits per packet become 1.6 and a lookup about 20 % cheaper).</li>
 *   <li>Classify: a burst is taken in batches of 64 packets; phase 0 for the batch, then each group for
 *       the batch, so independent reads of different packets overlap; groups are sorted by their first
 *       rule and a packet skips a group whose first rule is past its best match.</li>
 * </ul>
 *
 * <h2>Swapping rule sets across cores</h2>
 * A compiled classifier never changes. To change policy, the control thread builds a new one (validation,
 * allocation and any logging happen there) and publishes it with one volatile write (or a final field of a
 * newly published policy object). A worker reads that reference once per burst, into a local, and uses the
 * same classifier for every packet of the burst, so a burst is never classified half by the old rules and
 * half by the new. Unlike VPP's ACL plugin (its acl_multicore_doc notes a worker may still walk a hash table
 * the main thread is rebuilding, and so keeps a per-worker copy or a barrier), nothing is freed under a
 * reader here: the old tables are garbage collected once no worker holds them, so there is no use-after-free
 * and no barrier. Verdicts cached per flow carry the policy generation they were computed under (the
 * engine's concern), so flows reclassify after a swap.
 *
 * <h2>Threads</h2>
 * {@code AclClassifier}, {@code AclRule}, {@code IpPrefix}, {@code PortRange}: immutable, any thread.
 * {@code AclTuples}: one owner thread (it also holds the classifier's per-batch scratch).
 * {@code ClassBenchFormat}: stateless, control thread.
 */
package io.opensase.classifiers.acl;
