"""Whole-process `archgen import` of a CloudFormation template of 300 resources,
written by ``template`` below: streams, Firehose streams into buckets, bucket notifications
to queues, event source mappings into functions, crawlers, IAM roles and log groups.

    python benchmarks/bench_import.py [--runs 7] [--sizes 100,300,1000,3000]

The import also checks the spec it writes. The commands of all sizes run in turn after a
warm-up round, so that the noise of a shared machine falls on every size alike; the medians
are printed as a Markdown table, with the load average before and after, and the CPU time
each 100 resources add beyond the smallest size, which stays flat when the import grows
linearly (the smallest run is mostly Python start-up and imports).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from whole import alternate, archgen_command, machine  # noqa: E402

PER_UNIT = 10  # resources per repeated unit


def unit(i: int) -> str:
    return f"""
  Stream{i}:
    Type: AWS::Kinesis::Stream
    Properties: {{ShardCount: 1}}
  Role{i}:
    Type: AWS::IAM::Role
    Properties: {{AssumeRolePolicyDocument: {{}}}}
  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        QueueConfigurations:
          - {{Event: "s3:ObjectCreated:*", Queue: !GetAtt Queue{i}.Arn}}
  Delivery{i}:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamType: KinesisStreamAsSource
      KinesisStreamSourceConfiguration: {{KinesisStreamARN: !GetAtt Stream{i}.Arn, RoleARN: !GetAtt Role{i}.Arn}}
      ExtendedS3DestinationConfiguration: {{BucketARN: !GetAtt Bucket{i}.Arn, RoleARN: !GetAtt Role{i}.Arn}}
  Queue{i}:
    Type: AWS::SQS::Queue
  Worker{i}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt Role{i}.Arn
      Code: {{ZipFile: "def handler(event, context): pass"}}
      LoggingConfig: {{LogGroup: !Ref Logs{i}}}
  Logs{i}:
    Type: AWS::Logs::LogGroup
  Mapping{i}:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{EventSourceArn: !GetAtt Queue{i}.Arn, FunctionName: !Ref Worker{i}}}
  Database{i}:
    Type: AWS::Glue::Database
    Properties: {{CatalogId: !Ref AWS::AccountId, DatabaseInput: {{Name: db{i}}}}}
  Crawler{i}:
    Type: AWS::Glue::Crawler
    Properties:
      Role: !GetAtt Role{i}.Arn
      DatabaseName: !Ref Database{i}
      Targets: {{S3Targets: [{{Path: !Sub "s3://${{Bucket{i}}}/"}}]}}
"""


def template(resources: int) -> str:
    units = resources // PER_UNIT
    return ('AWSTemplateFormatVersion: "2010-09-09"\nDescription: Synthetic lake\nResources:'
            + "".join(unit(i) for i in range(units)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="100,300,1000,3000", help="resource counts, comma-separated")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    exe = archgen_command()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        commands = {}
        for n in sizes:
            path = folder / f"t{n}.yaml"
            path.write_text(template(n), encoding="utf-8")
            commands[n] = ([*exe, "import", str(path), "-o", str(folder / f"s{n}.yaml")], (0,))
        times = alternate(commands, args.runs)
    load_after = os.getloadavg()
    print(machine())
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min); median of {args.runs}")
    print("| resources | components | flows | wall s | CPU s | CPU ms per 100 more resources |")
    print("|---|---|---|---|---|---|")
    first, (_, first_cpu) = next(iter(times.items()))
    for n, (wall, cpu) in times.items():
        units = n // PER_UNIT
        extra = f"{100_000 * (cpu - first_cpu) / (n - first):.0f}" if n > first else ""
        print(f"| {n:,} | {7 * units:,} | {6 * units:,} | {wall:.3f} | {cpu:.3f} | {extra} |")


if __name__ == "__main__":
    main()
