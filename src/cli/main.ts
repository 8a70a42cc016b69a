#!/usr/bin/env node
import { runProgram } from './program.js';

const exitCode = await runProgram(process.argv);
process.exitCode = exitCode;
