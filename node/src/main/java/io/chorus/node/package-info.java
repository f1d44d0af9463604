package io.chorus.node;
