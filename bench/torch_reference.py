"""PyTorch reference for bench/bench.ts: the same two architectures, trained on random data
with the same per-batch work (forward, cross-entropy, backward, clip_grad_norm_, Adam step).

Prints one JSON object: {"torch": version, "cases": [{model, windows, steps, batch,
"seconds_per_epoch": {"1": s, "2": s}, "cpu_seconds_per_epoch": {...}, "best": s, "best_cpu": s,
"best_threads": n}]}: median wall-clock (and process CPU) seconds per epoch per thread count; best =
the faster thread count. CPU time is steadier than wall time on a shared machine.
Run with Debian's /usr/bin/python3 (python3-torch, OpenBLAS); it is not an app dependency.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

FEATURES = 21
STOCK = 11  # the 'group' tower split: 11 stock features | 10 context features


class Lstm(nn.Module):
    def __init__(self, hidden=64, dropout=0.3):
        super().__init__()
        self.lstm = nn.LSTM(FEATURES, hidden, num_layers=2, batch_first=True)
        self.head = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(hidden, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 3)
        )

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :])


def tower(width, dropout):
    return nn.Sequential(
        nn.Linear(width, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 16), nn.ReLU(), nn.Dropout(dropout)
    )


class DualTower(nn.Module):
    def __init__(self, dropout=0.3):
        super().__init__()
        self.stock = tower(STOCK, dropout)
        self.context = tower(FEATURES - STOCK, dropout)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, 3))

    def forward(self, x):
        return self.head(torch.cat([self.stock(x[:, :STOCK]), self.context(x[:, STOCK:])], dim=1))


def time_case(model_kind, windows, steps, batch, epochs, threads, seed=42):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = Lstm() if model_kind == "lstm" else DualTower()
    x = torch.randn(windows, steps, FEATURES) if model_kind == "lstm" else torch.randn(windows, FEATURES)
    y = torch.randint(0, 3, (windows,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    times, cpu = [], []
    for _ in range(epochs):
        start = time.perf_counter()
        cpu_start = time.process_time()
        order = torch.randperm(windows)
        for b in range(0, windows, batch):
            idx = order[b : b + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            loss.item()  # the real loop reads the loss every batch
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return statistics.median(times), statistics.median(cpu)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", required=True, help='JSON list of {"model","windows","steps","batch"}')
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", default="1,2")
    args = p.parse_args()
    out = {"torch": torch.__version__, "cases": []}
    for case in json.loads(args.cases):
        per, cpu = {}, {}
        for t in [int(v) for v in args.threads.split(",")]:
            per[str(t)], cpu[str(t)] = time_case(case["model"], case["windows"], case["steps"], case["batch"], args.epochs, t)
        best = min(per, key=per.get)
        out["cases"].append(
            {**case, "seconds_per_epoch": per, "cpu_seconds_per_epoch": cpu, "best": per[best], "best_cpu": cpu[best], "best_threads": int(best)}
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
