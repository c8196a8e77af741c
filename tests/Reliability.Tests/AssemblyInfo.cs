// The fault and load tests start real service processes and time them; run them one at a time so a 2-core CI
// machine is not shared by several services at once (which would only make every test slower).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
