#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildSearchStatsApp } from '../lib/search-stats-app';

buildSearchStatsApp(new App());
