#!/usr/bin/env python3
"""Counts the classes in -Xlog:class+load logs of one run each: how many, how many from the
class-data archive, how many the JVM had to spin at run time, and whose.

Usage: classes.py RUN_DIR JDK...   (reads RUN_DIR/classes-JDK-{hello,check,status}.log)
"""
import sys


def counts(path):
    total = archived = spun = lambdas = proxies = picocli = dockerjava = 0
    for line in open(path):
        if "[class,load]" not in line:
            continue
        total += 1
        name = line.split("]")[-1].split()[0]
        if "source: shared objects file" in line:
            archived += 1
        if "LambdaForm$" in name and "/0x" in name and "shared objects file" not in line:
            spun += 1
        if "$$Lambda" in name:
            lambdas += 1
        if "$Proxy" in name:
            proxies += 1
        if name.startswith("picocli."):
            picocli += 1
        if name.startswith("com.github.dockerjava.") or name.startswith("com.fasterxml.jackson."):
            dockerjava += 1
    return total, archived, spun, lambdas, proxies, picocli, dockerjava


def main():
    run, jdks = sys.argv[1], sys.argv[2:]
    head = ("classes", "from archive", "spun at run time", "lambda proxies", "dynamic proxies", "picocli", "docker-java+Jackson")
    print(f"{'run':<28}" + "".join(f"{h:>21}" for h in head))
    for j in jdks:
        for what, label in (("hello", "hello world"), ("check", "hoist-cli check web"), ("status", "hoist-cli status web")):
            c = counts(f"{run}/classes-{j}-{what}.log")
            print(f"{'JDK ' + j + ': ' + label:<28}" + "".join(f"{n:>21}" for n in c))


if __name__ == "__main__":
    main()
